using System.Threading.Channels;
using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchest.Engine.Ports;
using Orchest.Engine.Scheduling;

namespace Orchest.Storage.Azure.Queues;

/// <summary>
/// Ready steps as Storage queue messages with visibility leases. Two things beyond a plain queue:
/// <list type="bullet">
/// <item>Fast path (DESIGN §5): a ready step enqueued on a host with an idle slot is sent already
/// invisible for one lease and handed straight to this host's worker, which runs it without waiting
/// for a poll; if this host dies the message reappears after the lease and another host runs it.</item>
/// <item>Batching: a receive takes up to as many messages as this host has idle slots and keeps the
/// extras in the same local buffer (extending any whose lease runs low before it hands them out).</item>
/// </list>
/// </summary>
public sealed class StorageQueueWorkQueue : IWorkQueue
{
    private const int MaxReceive = 32;
    private static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    // Messages never expire on their own: a step may legitimately wait days for its parents or a retry.
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueClient _queue;
    private readonly TimeSpan _lease;
    private readonly int _poisonDequeueCount;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Channel<Buffered> _local = Channel.CreateUnbounded<Buffered>();
    private int _buffered;

    /// <param name="account">The storage account.</param>
    /// <param name="leaseDuration">The engine's lease (<c>EngineOptions.LeaseDuration</c>): how long a fast-path message stays hidden.</param>
    /// <param name="idleSlots">Idle step slots of this host (<c>() =&gt; engine.Worker.IdleSlots</c>); may be set later through <see cref="IdleSlots"/>.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="clock">Clock.</param>
    public StorageQueueWorkQueue(
        OrchestStorageAccount account,
        TimeSpan leaseDuration,
        Func<int>? idleSlots = null,
        ILogger<StorageQueueWorkQueue>? logger = null,
        TimeProvider? clock = null)
    {
        _queue = account.StepsQueue;
        _lease = leaseDuration;
        _poisonDequeueCount = account.Options.PoisonDequeueCount;
        IdleSlots = idleSlots ?? (() => 0);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Idle step slots of this host's worker; 0 (the default) disables the fast path.</summary>
    public Func<int> IdleSlots { get; set; }

    /// <summary>Work items waiting in this host's local buffer.</summary>
    public int BufferedCount => Volatile.Read(ref _buffered);

    public async Task EnqueueAsync(StepWorkItem item, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        var text = WorkMessage.Serialize(item);
        var operation = $"enqueue run {item.RunId} step {item.StepUuid} attempt {item.Attempt}";
        if (delay <= TimeSpan.Zero && TryReserveLocalSlot())
        {
            try
            {
                var receipt = await StorageErrors.GuardAsync(operation, () =>
                    _queue.SendMessageAsync(text, _lease, NeverExpires, cancellationToken));
                var work = new QueuedWork(item, receipt.Value.MessageId, receipt.Value.PopReceipt, 1);
                _local.Writer.TryWrite(new Buffered(work, _clock.GetUtcNow() + _lease, _lease));
                Logs.FastPath(_logger, item.RunId, item.StepUuid, item.Attempt);
                return;
            }
            catch
            {
                Interlocked.Decrement(ref _buffered);
                throw;
            }
        }

        var visibility = delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > MaxVisibility ? MaxVisibility : delay;
        await StorageErrors.GuardAsync(operation, () =>
            _queue.SendMessageAsync(text, visibility, NeverExpires, cancellationToken));
    }

    public async Task<QueuedWork?> DequeueAsync(TimeSpan visibility, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        if (await TakeLocalAsync(visibility, cancellationToken) is { } local)
        {
            return local;
        }

        if (await ReceiveAsync(visibility, cancellationToken) is { } received)
        {
            return received;
        }

        // Nothing in storage: wait for work this host makes ready (the fast path) rather than sleep blind.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            while (await _local.Reader.WaitToReadAsync(timeout.Token))
            {
                if (await TakeLocalAsync(visibility, cancellationToken) is { } woken)
                {
                    return woken;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Waited long enough.
        }

        return null;
    }

    public async Task<QueuedWork> ExtendAsync(QueuedWork work, TimeSpan visibility, CancellationToken cancellationToken = default) =>
        await TryExtendAsync(work, visibility, cancellationToken) ?? work;

    public async Task CompleteAsync(QueuedWork work, CancellationToken cancellationToken = default)
    {
        await StorageErrors.GuardAsync($"complete run {work.Item.RunId} step {work.Item.StepUuid}", async () =>
        {
            try
            {
                await _queue.DeleteMessageAsync(work.MessageId, work.Receipt, cancellationToken);
            }
            catch (RequestFailedException ex) when (IsNotOurs(ex))
            {
                // Deleted already, or its lease lapsed and another worker holds it now; either way not ours.
            }
        });
    }

    /// <summary>The message with a fresh lease; null when it is gone or no longer ours (404: its pop receipt changed).</summary>
    private async Task<QueuedWork?> TryExtendAsync(QueuedWork work, TimeSpan visibility, CancellationToken cancellationToken)
    {
        return await StorageErrors.GuardAsync($"extend run {work.Item.RunId} step {work.Item.StepUuid}", async () =>
        {
            try
            {
                var receipt = await _queue.UpdateMessageAsync(
                    work.MessageId, work.Receipt, messageText: null, visibilityTimeout: visibility > MaxVisibility ? MaxVisibility : visibility, cancellationToken: cancellationToken);
                return work with { Receipt = receipt.Value.PopReceipt };
            }
            catch (RequestFailedException ex) when (IsNotOurs(ex))
            {
                // The table lease, not the message, decides who runs a step; a lost message only
                // means redelivery is now the reconciler's job.
                Logs.MessageLost(_logger, work.Item.RunId, work.Item.StepUuid, work.Item.Attempt);
                return null;
            }
        });
    }

    private async Task<QueuedWork?> TakeLocalAsync(TimeSpan visibility, CancellationToken cancellationToken)
    {
        while (_local.Reader.TryRead(out var buffered))
        {
            Interlocked.Decrement(ref _buffered);
            if (buffered.VisibleAgain - _clock.GetUtcNow() > buffered.Visibility / 2)
            {
                return buffered.Work;
            }

            // Waited in the buffer for half its lease or more: renew before handing it out (404: someone else has it).
            if (await TryExtendAsync(buffered.Work, visibility, cancellationToken) is { } renewed)
            {
                return renewed;
            }
        }

        return null;
    }

    private async Task<QueuedWork?> ReceiveAsync(TimeSpan visibility, CancellationToken cancellationToken)
    {
        var count = Math.Clamp(IdleSlots() - BufferedCount, 1, MaxReceive);
        var messages = await StorageErrors.GuardAsync("receive step messages", async () =>
            (await _queue.ReceiveMessagesAsync(count, visibility, cancellationToken)).Value);
        QueuedWork? first = null;
        foreach (var message in messages)
        {
            var item = WorkMessage.Parse(message.MessageText);
            if (item is null || message.DequeueCount > _poisonDequeueCount)
            {
                if (item is null)
                {
                    Logs.MalformedMessageDeleted(_logger, message.MessageId);
                }
                else
                {
                    Logs.PoisonMessageDeleted(_logger, item.RunId, item.StepUuid, item.Attempt, message.DequeueCount);
                }

                await CompleteAsync(new QueuedWork(item ?? new StepWorkItem("?", "?", 0), message.MessageId, message.PopReceipt, (int)message.DequeueCount), cancellationToken);
                continue;
            }

            var work = new QueuedWork(item, message.MessageId, message.PopReceipt, (int)Math.Min(int.MaxValue, message.DequeueCount));
            if (first is null)
            {
                first = work;
            }
            else
            {
                Interlocked.Increment(ref _buffered);
                _local.Writer.TryWrite(new Buffered(work, _clock.GetUtcNow() + visibility, visibility));
            }
        }

        return first;
    }

    /// <summary>404: the message is gone; 400 PopReceiptMismatch: another worker received it since.</summary>
    private static bool IsNotOurs(RequestFailedException ex) =>
        ex.Status == 404 || (ex.Status == 400 && ex.ErrorCode == "PopReceiptMismatch");

    private bool TryReserveLocalSlot()
    {
        while (true)
        {
            var buffered = Volatile.Read(ref _buffered);
            if (IdleSlots() - buffered <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _buffered, buffered + 1, buffered) == buffered)
            {
                return true;
            }
        }
    }

    private sealed record Buffered(QueuedWork Work, DateTimeOffset VisibleAgain, TimeSpan Visibility);
}
