using Orchest.Chaos.Trials;

namespace Orchest.Chaos.Checks;

/// <summary>The trial's cron job at the end, through the API: its state, its history (every tick) and the runs it lists.</summary>
public sealed record ObservedJob(string JobId)
{
    /// <summary>Null when no host could read it.</summary>
    public string? Status { get; init; }

    /// <summary>How the last GET /api/jobs/{id} went.</summary>
    public ApiAnswer? Answer { get; init; }

    /// <summary>How its cancel (DELETE) went.</summary>
    public ApiAnswer? Cancel { get; init; }

    public long Ticks { get; init; }

    public long Runs { get; init; }

    public DateTimeOffset? LastScheduled { get; init; }

    /// <summary>Its history, oldest first.</summary>
    public IReadOnlyList<ObservedTick> History { get; init; } = [];

    /// <summary>The run ids GET /api/jobs/{id}/runs lists (every page); null when no host answered.</summary>
    public IReadOnlyList<string>? ListedRuns { get; init; }
}

/// <summary>One history entry of the job.</summary>
public sealed record ObservedTick(long Sequence, string Kind, DateTimeOffset ScheduledFor, long Skipped, IReadOnlyList<string> RunIds, IReadOnlyList<string> Problems);
