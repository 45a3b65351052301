using DurableTask.Core;
using Orchest.Durable.Housekeeping;

namespace Orchest.Durable.AzureStorage;

/// <summary>Starts the hub's housekeeping orchestration with DurableTask.Core's client.</summary>
public sealed class DurableTaskCoreHousekeeping(OrchestTaskHub hub) : IDurableHousekeeping
{
    /// <summary>Statuses of an instance that keeps going: a start then does nothing (any other is replaced).</summary>
    private static readonly OrchestrationStatus[] Going =
        [OrchestrationStatus.Running, OrchestrationStatus.Pending, OrchestrationStatus.ContinuedAsNew, OrchestrationStatus.Suspended];

    public async Task<bool> EnsureAsync(CancellationToken cancellationToken = default)
    {
        await hub.Ready.WaitAsync(cancellationToken);
        var state = await hub.Client.GetOrchestrationStateAsync(HousekeepingOrchestrator.InstanceId);
        if (state is not null && Going.Contains(state.OrchestrationStatus))
        {
            return false;
        }

        await hub.Client.CreateOrchestrationInstanceAsync(
            HousekeepingOrchestrator.Name, "", HousekeepingOrchestrator.InstanceId, new HousekeepingInput(DateTime.MinValue), tags: null, Going);
        return true;
    }
}
