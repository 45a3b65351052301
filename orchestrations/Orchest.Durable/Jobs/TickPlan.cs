namespace Orchest.Durable.Jobs;

/// <summary>What a job does when it wakes: the ticks to run now (oldest first), the missed ticks it skips, and when to wake next.</summary>
/// <param name="Run">Due ticks to start runs for now, oldest first.</param>
/// <param name="Skipped">Missed ticks not run (the catch-up policy's choice); counted up to <see cref="TickPlanner.MaxCounted"/>.</param>
/// <param name="Handled">The newest due tick, run or skipped: nothing at or before it is due again (null: nothing was due).</param>
/// <param name="Next">The next tick after everything handled (null: the schedule has no more).</param>
public sealed record TickPlan(IReadOnlyList<DateTimeOffset> Run, long Skipped, DateTimeOffset? Handled, DateTimeOffset? Next)
{
    public bool IsIdle => Run.Count == 0 && Skipped == 0;
}
