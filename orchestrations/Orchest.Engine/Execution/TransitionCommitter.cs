using Microsoft.Extensions.Logging;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Execution;

/// <summary>
/// Read, decide, commit, repeat on conflict: applies a state-machine decision to the store, then does
/// the transition's side effects (enqueue ready steps, stop aborted ones, tell observers).
/// </summary>
internal sealed class TransitionCommitter(
    IRunStore store,
    IWorkQueue queue,
    StepAttempts executions,
    IReadOnlyList<IRunObserver> observers,
    TimeProvider clock,
    ILogger logger)
{
    private const int MaxConflicts = 200;

    public async Task<TransitionResult> ApplyAsync(
        string runId, Func<RunSnapshot, DateTimeOffset, TransitionResult> decide, CancellationToken cancellationToken)
    {
        if (store is IAtomicRunStore atomic)
        {
            var applied = await atomic.ApplyAsync(runId, snapshot => decide(snapshot, clock.GetUtcNow()), cancellationToken);
            if (applied.Transition is { } committed)
            {
                await AfterCommitAsync(committed, cancellationToken);
            }

            return applied;
        }

        for (var conflicts = 0; ; conflicts++)
        {
            var snapshot = await store.GetAsync(runId, cancellationToken)
                ?? throw new RunNotFoundException(runId);
            var result = decide(snapshot, clock.GetUtcNow());
            if (result.Transition is not { } transition)
            {
                return result;
            }

            if (await store.TryCommitAsync(transition, cancellationToken))
            {
                await AfterCommitAsync(transition, cancellationToken);
                return result;
            }

            if (conflicts >= MaxConflicts)
            {
                throw new InvalidOperationException($"Run {runId}: gave up after {MaxConflicts} concurrent-update conflicts.");
            }

            Logs.TransitionConflict(logger, runId, conflicts + 1);
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(conflicts, 20) * 5)), clock, cancellationToken);
        }
    }

    private async Task AfterCommitAsync(RunTransition transition, CancellationToken cancellationToken)
    {
        // Observers first, so progress shows a parent's SUCCESS before its children start.
        foreach (var observer in observers)
        {
            try
            {
                observer.OnCommitted(transition);
            }
            catch (Exception ex)
            {
                Logs.ObserverFailed(logger, transition.RunId, ex);
            }
        }

        foreach (var stepUuid in transition.ToStop)
        {
            executions.Stop(transition.RunId, stepUuid);
        }

        foreach (var work in transition.ToEnqueue)
        {
            // If this fails the step stays dispatched without a message; the reconciler re-enqueues it.
            await queue.EnqueueAsync(work.Item, work.Delay, cancellationToken);
        }
    }
}
