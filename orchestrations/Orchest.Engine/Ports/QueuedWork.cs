using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Ports;

/// <summary>A dequeued item: its work item and the queue's handle for it.</summary>
public sealed record QueuedWork(StepWorkItem Item, string Handle);
