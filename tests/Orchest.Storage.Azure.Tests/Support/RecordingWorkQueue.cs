using System.Collections.Concurrent;
using Orchest.Engine.Ports;
using Orchest.Engine.Scheduling;

namespace Orchest.Storage.Azure.Tests.Support;

/// <summary>A work queue that only records what was enqueued (for tests of the run store's commits).</summary>
internal sealed class RecordingWorkQueue : IWorkQueue
{
    public ConcurrentQueue<StepWorkItem> Enqueued { get; } = new();

    public Task EnqueueAsync(StepWorkItem item, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        Enqueued.Enqueue(item);
        return Task.CompletedTask;
    }

    public Task<QueuedWork?> DequeueAsync(TimeSpan visibility, TimeSpan wait, CancellationToken cancellationToken = default) =>
        Task.FromResult<QueuedWork?>(null);

    public Task<QueuedWork> ExtendAsync(QueuedWork work, TimeSpan visibility, CancellationToken cancellationToken = default) => Task.FromResult(work);

    public Task CompleteAsync(QueuedWork work, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
