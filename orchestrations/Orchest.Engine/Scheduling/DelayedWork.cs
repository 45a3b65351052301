namespace Orchest.Engine.Scheduling;

/// <summary>A work item to enqueue once a transition committed, possibly after a delay (retry backoff).</summary>
public sealed record DelayedWork(StepWorkItem Item, TimeSpan Delay);
