using Orchest.Engine.Jobs;

namespace Orchest.Durable.Jobs;

/// <summary>How a one-off job ends (Orchest's roll-up): once none of its runs is pending or running, FAILURE if any failed, else SUCCESS. Aborted runs fail nothing.</summary>
public static class JobOutcome
{
    /// <summary>The final status, or null while runs are still going.</summary>
    public static JobStatus? RollUp(JobRunCounts runs) =>
        runs.Active > 0 ? null
        : runs.Failed > 0 ? JobStatus.Failure
        : JobStatus.Success;
}
