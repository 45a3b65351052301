using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Orchest.Functions.Azure.Durable;

/// <summary>
/// The task hub client of the current HTTP invocation. The Functions host hands it to a function as a
/// <c>[DurableClient]</c> binding, not through DI, so <see cref="Http.ApiHandlers"/> puts it here (one per invocation scope)
/// for <see cref="FunctionsDurableRuns"/>.
/// </summary>
internal sealed class InvocationDurableClient
{
    private DurableTaskClient? _client;

    public DurableTaskClient Client => _client
        ?? throw new InvalidOperationException("This function has no [DurableClient] binding: only triggers that start or cancel runs have one.");

    public void Use(DurableTaskClient client) => _client = client;

    /// <summary>
    /// Schedules an orchestration unless one with <paramref name="instanceId"/> exists, whatever its status (the
    /// extension would restart a completed one, and a job tick handled twice names the same runs). True when none
    /// existed as this call looked.
    /// </summary>
    public async Task<bool> StartOnceAsync(string name, string instanceId, object input, CancellationToken cancellationToken)
    {
        if (await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            await Client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(InstanceId: instanceId), cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Started meanwhile by another execution of the same tick; anything else is still an error.
            if (await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is null)
            {
                throw;
            }
        }

        return true;
    }
}
