using System.Collections.Concurrent;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Execution;

/// <summary>Lets a caller await the end of runs committed on this host.</summary>
public sealed class RunCompletion : IRunObserver
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RunRecord>> _waiters = new(StringComparer.Ordinal);

    public Task<RunRecord> WaitAsync(string runId, CancellationToken cancellationToken = default) =>
        Waiter(runId).Task.WaitAsync(cancellationToken);

    public void OnCommitted(RunTransition transition)
    {
        if (transition.Run.Status.IsTerminal())
        {
            Waiter(transition.RunId).TrySetResult(transition.Run);
        }
    }

    private TaskCompletionSource<RunRecord> Waiter(string runId) =>
        _waiters.GetOrAdd(runId, _ => new TaskCompletionSource<RunRecord>(TaskCreationOptions.RunContinuationsAsynchronously));
}
