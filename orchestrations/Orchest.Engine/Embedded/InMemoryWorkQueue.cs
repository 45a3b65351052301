using System.Threading.Channels;
using Orchest.Engine.Ports;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Embedded;

/// <summary>
/// The embedded work queue: a channel. Items are not redelivered (one process: if it dies, the run
/// dies with it).
/// </summary>
public sealed class InMemoryWorkQueue(TimeProvider? clock = null) : IWorkQueue
{
    private readonly Channel<StepWorkItem> _channel = Channel.CreateUnbounded<StepWorkItem>();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private long _ids;

    public Task EnqueueAsync(StepWorkItem item, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        if (delay <= TimeSpan.Zero)
        {
            return _channel.Writer.WriteAsync(item, cancellationToken).AsTask();
        }

        _ = DelayedWriteAsync(item, delay);
        return Task.CompletedTask;
    }

    public async Task<QueuedWork?> DequeueAsync(TimeSpan wait, CancellationToken cancellationToken = default)
    {
        if (_channel.Reader.TryRead(out var ready))
        {
            return Wrap(ready);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            return Wrap(await _channel.Reader.ReadAsync(timeout.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public Task CompleteAsync(QueuedWork work, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private QueuedWork Wrap(StepWorkItem item) => new(item, Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async Task DelayedWriteAsync(StepWorkItem item, TimeSpan delay)
    {
        await Task.Delay(delay, _clock);
        await _channel.Writer.WriteAsync(item);
    }
}
