using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Ports;

/// <summary>
/// Ready steps as messages with visibility leases (Storage queues in served mode). A message stays
/// invisible while its worker extends it; a worker that dies lets it reappear.
/// </summary>
public interface IWorkQueue
{
    Task EnqueueAsync(StepWorkItem item, TimeSpan delay, CancellationToken cancellationToken = default);

    /// <summary>Waits up to <paramref name="wait"/> for a visible message and hides it for <paramref name="visibility"/>; null when none came.</summary>
    Task<QueuedWork?> DequeueAsync(TimeSpan visibility, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Keeps a message hidden for another <paramref name="visibility"/>; returns the refreshed handle.</summary>
    Task<QueuedWork> ExtendAsync(QueuedWork work, TimeSpan visibility, CancellationToken cancellationToken = default);

    /// <summary>Deletes a handled message. Deleting one that is already gone is not an error.</summary>
    Task CompleteAsync(QueuedWork work, CancellationToken cancellationToken = default);
}
