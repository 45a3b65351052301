namespace Orchest.Engine.Jobs;

/// <summary>
/// When a job runs: on a cron schedule (<see cref="Cron"/>, optionally with seconds, in <see cref="TimeZone"/>),
/// once at <see cref="StartAt"/>, or once as soon as it is confirmed (neither). How missed cron ticks are
/// handled is <see cref="CatchUp"/>.
/// </summary>
public sealed record JobSchedule
{
    /// <summary>Default of <see cref="CatchUpLimit"/>.</summary>
    public const int DefaultCatchUpLimit = 10;

    /// <summary>A cron expression of 5 fields (minute precision) or 6 (seconds first), or a macro like @daily.</summary>
    public string? Cron { get; init; }

    /// <summary>IANA time zone the cron expression is read in; UTC when null.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The time of a one-off job; null with no cron: as soon as the job is confirmed.</summary>
    public DateTimeOffset? StartAt { get; init; }

    public CatchUpPolicy CatchUp { get; init; } = CatchUpPolicy.Latest;

    /// <summary>Most missed ticks <see cref="CatchUpPolicy.All"/> runs after an outage.</summary>
    public int CatchUpLimit { get; init; } = DefaultCatchUpLimit;

    public bool IsCron => Cron is not null;
}
