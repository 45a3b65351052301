using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Ports;

/// <summary>A dequeued message: its work item plus the queue's handle (message id and pop receipt).</summary>
public sealed record QueuedWork(StepWorkItem Item, string MessageId, string Receipt, int DequeueCount);
