using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Ports;

/// <summary>Ready steps of the embedded engine, in the order they became ready (delayed ones after their delay).</summary>
public interface IWorkQueue
{
    Task EnqueueAsync(StepWorkItem item, TimeSpan delay, CancellationToken cancellationToken = default);

    /// <summary>Waits up to <paramref name="wait"/> for a ready item; null when none came.</summary>
    Task<QueuedWork?> DequeueAsync(TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Marks a handled item done.</summary>
    Task CompleteAsync(QueuedWork work, CancellationToken cancellationToken = default);
}
