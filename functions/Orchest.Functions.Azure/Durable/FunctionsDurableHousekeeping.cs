using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchest.Durable.Housekeeping;

namespace Orchest.Functions.Azure.Durable;

/// <summary>
/// Starts the hub's housekeeping orchestration through the Functions extension's client. The app has no
/// hosted-service client, so the first HTTP invocation with a client binding on each instance makes sure
/// it runs (<see cref="Http.ApiHandlers"/>).
/// </summary>
internal sealed class FunctionsDurableHousekeeping(InvocationDurableClient invocation) : IDurableHousekeeping
{
    private static readonly OrchestrationRuntimeStatus[] Going =
        [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Suspended];

    public async Task<bool> EnsureAsync(CancellationToken cancellationToken = default)
    {
        var client = invocation.Client;
        var existing = await client.GetInstanceAsync(HousekeepingOrchestrator.InstanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is not null && Going.Contains(existing.RuntimeStatus))
        {
            return false;
        }

        try
        {
            // The extension replaces an instance that ended (its default for an id in use); a running one refuses.
            await client.ScheduleNewOrchestrationInstanceAsync(
                HousekeepingOrchestrator.Name, new HousekeepingInput(DateTime.MinValue),
                new StartOrchestrationOptions(InstanceId: HousekeepingOrchestrator.InstanceId), cancellationToken);
            return true;
        }
        catch (InvalidOperationException)
        {
            // Another instance of the app started it meanwhile.
            return false;
        }
    }
}
