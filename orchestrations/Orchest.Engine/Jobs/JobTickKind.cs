namespace Orchest.Engine.Jobs;

/// <summary>What made a job start runs.</summary>
public enum JobTickKind
{
    /// <summary>A tick of the cron schedule.</summary>
    Scheduled,

    /// <summary>The one-off job's time came.</summary>
    Once,

    /// <summary>Triggered through the API (trigger-now).</summary>
    Triggered,

    /// <summary>A git push to a followed branch (jobs declared in the repository).</summary>
    Push,

    /// <summary>No runs: missed ticks were skipped (<see cref="CatchUpPolicy.None"/>), counted in <see cref="JobTick.Skipped"/>.</summary>
    Skipped,
}
