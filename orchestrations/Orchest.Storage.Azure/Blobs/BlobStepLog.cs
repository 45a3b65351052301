using System.Text;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Orchest.Engine;
using Orchest.Engine.Ports;

namespace Orchest.Storage.Azure.Blobs;

/// <summary>
/// A step log streamed to an append blob: lines are buffered and appended at most every ~200 ms or
/// every 256 KiB, and on dispose. An append blob takes at most 50,000 blocks, so a long, chatty step
/// appends less often as it goes (1 s after 5,000 blocks, 5 s after 20,000). A failed append keeps
/// the lines for the next one; the step never fails because its log could not be written. The blob is
/// created when the log opens, beside the step's start (a served chain measured ~3 ms less per step than
/// creating it with the first lines, which put the creation between the step's exit and its report);
/// a creation that failed is tried again with the first append.
/// </summary>
internal sealed class BlobStepLog : IStepLog
{
    private const int TailCapacity = 200;
    private const int FlushBytes = 256 * 1024;
    private const int MaxPendingBytes = 16 * 1024 * 1024;
    private const int MaxBlocks = 49_000;

    private static readonly BlobHttpHeaders Headers = new() { ContentType = "text/plain; charset=utf-8" };

    private readonly AppendBlobClient _blob;
    private readonly StepLogTarget _target;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly StringBuilder _pending = new();
    private readonly Queue<string> _tail = new();
    private readonly SemaphoreSlim _full = new(0);
    /// <summary>How long the dispose waits for an append on its way before cutting it off.</summary>
    private static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();

    // Cuts an append off in flight: only when the dispose waited InFlightGrace for it (storage not answering).
    private readonly CancellationTokenSource _abandon = new();
    private readonly SemaphoreSlim _appending = new(1, 1);
    private readonly Task _flusher;
    private readonly Task<bool> _creation;
    private int _blocks;
    private bool _created;
    private bool _reportedFailure;

    public BlobStepLog(AppendBlobClient blob, StepLogTarget target, ILogger logger)
    {
        _blob = blob;
        _target = target;
        _logger = logger;
        _creation = TryCreateAsync();
        _flusher = Task.Run(FlushPeriodicallyAsync);
    }

    /// <summary>The blob's URL, without any SAS.</summary>
    public string Location => _blob.Uri.AbsoluteUri;

    public ValueTask WriteLineAsync(string line, CancellationToken cancellationToken = default)
    {
        line = TerminalEscapes.Strip(line);
        bool full;
        lock (_gate)
        {
            _pending.Append(line).Append('\n');
            _tail.Enqueue(line);
            if (_tail.Count > TailCapacity)
            {
                _tail.Dequeue();
            }

            full = _pending.Length >= FlushBytes;
        }

        if (full && _full.CurrentCount == 0)
        {
            _full.Release();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A line between attempts, written to the blob only.</summary>
    public void WriteSeparator(string line)
    {
        lock (_gate)
        {
            _pending.Append(line).Append('\n');
        }
    }

    public IReadOnlyList<string> Tail(int lines)
    {
        lock (_gate)
        {
            return _tail.Skip(Math.Max(0, _tail.Count - lines)).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();

        // An append on its way is waited for: cut off, it may still be applied, and its lines, kept for the
        // next append, would then be in the log twice. Storage that does not answer holds the step's end at
        // most InFlightGrace longer (the final append below waits for storage as before).
        try
        {
            await _flusher.WaitAsync(InFlightGrace);
        }
        catch (TimeoutException)
        {
            await _abandon.CancelAsync();
            await _flusher;
        }

        await FlushAsync(CancellationToken.None);
        await _creation;
        _stop.Dispose();
        _abandon.Dispose();
        _full.Dispose();
        _appending.Dispose();
    }

    private async Task FlushPeriodicallyAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var interval = _blocks switch
                {
                    < 5_000 => TimeSpan.FromMilliseconds(200),
                    < 20_000 => TimeSpan.FromSeconds(1),
                    _ => TimeSpan.FromSeconds(5),
                };
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                wake.CancelAfter(interval);
                try
                {
                    await _full.WaitAsync(wake.Token);
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                    // Interval elapsed.
                }

                await FlushAsync(_abandon.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposing: the final flush follows.
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _appending.WaitAsync(CancellationToken.None);
        try
        {
            string text;
            lock (_gate)
            {
                if (_pending.Length == 0 || _blocks >= MaxBlocks)
                {
                    return;
                }

                text = _pending.ToString();
                _pending.Clear();
            }

            var bytes = Encoding.UTF8.GetBytes(text);
            var written = 0;
            try
            {
                if (!_created && !await _creation)
                {
                    // Attempts after the first append to the same log (under a separator line).
                    await _blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = Headers }, cancellationToken);
                }

                _created = true;

                // An append block holds at most 4 MiB.
                for (; written < bytes.Length && _blocks < MaxBlocks; _blocks++)
                {
                    var length = Math.Min(4 * 1024 * 1024, bytes.Length - written);
                    using var block = new MemoryStream(bytes, written, length, writable: false);
                    await _blob.AppendBlockAsync(block, cancellationToken: cancellationToken);
                    written += length;
                }
            }
            catch (Exception ex) when (StorageErrors.Translate($"append to the log of run {_target.RunId} step {_target.StepUuid}", ex) is { } translated)
            {
                Requeue(bytes, written);
                if (!_reportedFailure)
                {
                    _reportedFailure = true;
                    Logs.LogAppendFailed(_logger, _target.RunId, _target.StepUuid, translated);
                }
            }
            catch (OperationCanceledException)
            {
                Requeue(bytes, written);
                throw;
            }
        }
        finally
        {
            _appending.Release();
        }
    }

    /// <summary>Creates the blob (if no earlier attempt did); false when storage refused, so the first append tries again.</summary>
    private async Task<bool> TryCreateAsync()
    {
        try
        {
            await _blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = Headers }, CancellationToken.None);
            return true;
        }
        catch (Exception)
        {
            // Whatever it was (storage away, a timeout), the first append creates the blob again and reports a failure.
            return false;
        }
    }

    private void Requeue(byte[] bytes, int written)
    {
        var rest = Encoding.UTF8.GetString(bytes, written, bytes.Length - written);
        lock (_gate)
        {
            _pending.Insert(0, rest);
            if (_pending.Length > MaxPendingBytes)
            {
                _pending.Remove(0, _pending.Length - MaxPendingBytes);
                _pending.Insert(0, "[orchest: earlier log lines were lost: storage unavailable]\n");
            }
        }
    }
}
