using System.Collections.Concurrent;

namespace Orchest.Engine.Execution;

/// <summary>The step executions running on this host, so a committed abort can stop them at once.</summary>
internal sealed class LocalExecutions
{
    private readonly ConcurrentDictionary<(string RunId, string StepUuid), CancellationTokenSource> _running = new();

    public int Count => _running.Count;

    public CancellationTokenSource Register(string runId, string stepUuid, CancellationToken hostStopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);
        _running[(runId, stepUuid)] = cts;
        return cts;
    }

    public void Unregister(string runId, string stepUuid) => _running.TryRemove((runId, stepUuid), out _);

    public bool Stop(string runId, string stepUuid)
    {
        if (!_running.TryGetValue((runId, stepUuid), out var cts))
        {
            return false;
        }

        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished between lookup and cancel: nothing left to stop.
        }

        return true;
    }
}
