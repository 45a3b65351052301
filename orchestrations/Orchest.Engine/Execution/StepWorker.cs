using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Execution;

/// <summary>
/// The embedded step worker: takes ready steps from the in-memory queue (up to the host's parallelism),
/// begins each, runs it, and commits its result.
/// </summary>
public sealed class StepWorker
{
    private static readonly TimeSpan MinIdleWait = TimeSpan.FromMilliseconds(20);

    private readonly EngineServices _services;
    private readonly StepExecution _execution;
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    internal StepWorker(EngineServices services)
    {
        _services = services;
        _execution = new StepExecution(services);
    }

    /// <summary>Steps running on this worker now.</summary>
    public int Running => _inFlight.Count;

    /// <summary>Steps this worker could start now (int.MaxValue when the host's parallelism is unbounded); a queue's fast path hands it ready steps directly.</summary>
    public int IdleSlots => _services.Options.HostParallelism > 0
        ? Math.Max(0, _services.Options.HostParallelism - Running)
        : int.MaxValue;

    /// <summary>Runs until <paramref name="stopping"/> fires, then waits for in-flight steps to wind down.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var options = _services.Options;
        using var slots = options.HostParallelism > 0 ? new SemaphoreSlim(options.HostParallelism) : null;
        var idle = MinIdleWait;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (slots is not null)
                {
                    await slots.WaitAsync(stopping);
                }

                QueuedWork? work;
                try
                {
                    work = await _services.Queue.DequeueAsync(idle, stopping);
                }
                catch
                {
                    slots?.Release();
                    throw;
                }

                if (work is null)
                {
                    slots?.Release();
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.MaxIdleWait.Ticks));
                    continue;
                }

                idle = MinIdleWait;
                var task = ProcessOneAsync(work, slots, stopping);
                _inFlight.TryAdd(task, 0);
                _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Normal shutdown.
        }

        await Task.WhenAll(_inFlight.Keys.ToArray());
    }

    private async Task ProcessOneAsync(QueuedWork work, SemaphoreSlim? slots, CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            await _execution.ExecuteAsync(work, stopping);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            // The message stays; it reappears after its visibility lease and the step is retried.
            Logs.WorkItemFailed(_services.Logger, work.Item.RunId, work.Item.StepUuid, ex);
        }
        catch (OperationCanceledException)
        {
            // Host stopping.
        }
        finally
        {
            slots?.Release();
        }
    }
}
