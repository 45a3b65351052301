using Orchest.Engine.Jobs;

namespace Orchest.Durable.Jobs;

/// <summary>
/// One tick for <see cref="StartJobTickActivity"/>: start a run per parameter set of the job's definition
/// at the commit the tick's ref resolves to (chosen once per tick), then record the tick and the job's state.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Sequence">The tick's number in the job's history (1, 2, ...).</param>
/// <param name="Key">Identifies the tick for good; run ids derive from (job, key, index).</param>
/// <param name="Kind">Scheduled, once or triggered.</param>
/// <param name="ScheduledFor">When it was due.</param>
/// <param name="Skipped">Missed ticks skipped just before it.</param>
/// <param name="State">The job's state to record with the tick (its run count before this tick).</param>
/// <param name="PreviousStatus">The status before (a transition when it differs from <c>State.Status</c>).</param>
/// <param name="Commit">The commit the runs use (a push's <c>after</c>); null: the commit the job's ref names now.</param>
public sealed record JobTickInput(
    string JobId, long Sequence, string Key, JobTickKind Kind, DateTimeOffset ScheduledFor, long Skipped, JobState State, JobStatus PreviousStatus,
    string? Commit = null);
