using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;

namespace Orchest.Durable;

/// <summary>
/// Terminating an orchestration does not stop its running activities, so each host watches the runs
/// whose steps it runs: every <see cref="StepHostOptions.StopPollInterval"/> it reads whether each must
/// stop (cancel asked for, or the run ended, e.g. fail-fast) and stops its steps there (TERM, then KILL).
/// When a run has ended and none of its steps runs here, the host forgets it (caches, working copy).
/// </summary>
public sealed class StepStopWatcher(IRunProjection projection, StepAttempts attempts, StepHostOptions options, TimeProvider clock, ILogger<StepStopWatcher> logger)
{
    private readonly ConcurrentDictionary<string, WatchedRun> _runs = new(StringComparer.Ordinal);

    /// <summary>Runs watched now.</summary>
    public int Watched => _runs.Count;

    /// <summary>Whether a run's steps must stop, from the last look if it is recent, else from a fresh read.</summary>
    public async Task<bool> IsStoppingAsync(string runId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var run = _runs.GetOrAdd(runId, _ => new WatchedRun(now));
        run.LastLocal = now;
        if (run.Stopping is { } known && now - run.CheckedAt <= options.StopPollInterval)
        {
            return known;
        }

        // One read at a time per run: steps of a fan-out start by the dozen and would all read at once.
        var read = run.Reading ??= ReadAsync(runId, run, cancellationToken);
        try
        {
            return await read;
        }
        finally
        {
            run.Reading = null;
        }
    }

    private async Task<bool> ReadAsync(string runId, WatchedRun run, CancellationToken cancellationToken)
    {
        var stopping = await projection.IsStoppingAsync(runId, cancellationToken) ?? false;
        run.Seen(stopping, clock.GetUtcNow());
        return stopping;
    }

    /// <summary>Looks at every watched run once: stops the steps of runs that must stop, forgets ended or idle runs.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var local = attempts.RunningRuns.ToHashSet(StringComparer.Ordinal);
        foreach (var runId in local)
        {
            _runs.GetOrAdd(runId, _ => new WatchedRun(now)).LastLocal = now;
        }

        foreach (var (runId, run) in _runs)
        {
            var here = local.Contains(runId);
            if (!here && now - run.LastLocal > options.ForgetIdleRunAfter)
            {
                await ForgetAsync(runId, cancellationToken);
                continue;
            }

            if (!here && now - run.CheckedAt < options.IdleRunPollInterval)
            {
                continue;
            }

            bool? stopping;
            try
            {
                stopping = await projection.IsStoppingAsync(runId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Logs.StopCheckFailed(logger, runId, ex);
                continue;
            }

            run.Seen(stopping ?? false, now);
            if (stopping is true && here)
            {
                var stopped = attempts.StopRun(runId);
                Logs.StepsStopped(logger, runId, stopped);
            }
            else if (stopping is not false && !here)
            {
                await ForgetAsync(runId, cancellationToken);
            }
        }
    }

    /// <summary>Polls until <paramref name="stopping"/> fires.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.StopPollInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                if (!_runs.IsEmpty || attempts.Running > 0)
                {
                    await PollAsync(stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task ForgetAsync(string runId, CancellationToken cancellationToken)
    {
        _runs.TryRemove(runId, out _);
        try
        {
            await attempts.ForgetRunAsync(runId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logs.ForgetFailed(logger, runId, ex);
        }
    }

    private sealed class WatchedRun(DateTimeOffset now)
    {
        public bool? Stopping { get; private set; }
        public DateTimeOffset CheckedAt { get; private set; } = DateTimeOffset.MinValue;
        public DateTimeOffset LastLocal { get; set; } = now;

        /// <summary>The read in flight, if any (shared by the steps that ask meanwhile).</summary>
        public Task<bool>? Reading { get; set; }

        public void Seen(bool stopping, DateTimeOffset at)
        {
            Stopping = stopping;
            CheckedAt = at;
        }
    }
}
