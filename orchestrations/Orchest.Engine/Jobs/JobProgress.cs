namespace Orchest.Engine.Jobs;

/// <summary>What a job's orchestration decided, recorded in one go: the job's state after it and, for a tick, the tick.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">The job's state from now on.</param>
/// <param name="PreviousStatus">The status before: a transition when it differs from <c>State.Status</c> (where job events hook in).</param>
/// <param name="Tick">The tick that started runs (or skipped missed ticks), when this progress is one.</param>
public sealed record JobProgress(string JobId, JobState State, JobStatus PreviousStatus, JobTick? Tick = null)
{
    public bool IsTransition => PreviousStatus != State.Status;
}
