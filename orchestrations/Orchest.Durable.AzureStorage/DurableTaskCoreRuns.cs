using DurableTask.Core;

namespace Orchest.Durable.AzureStorage;

/// <summary>Starts and signals run orchestrations with DurableTask.Core's client.</summary>
public sealed class DurableTaskCoreRuns(OrchestTaskHub hub) : IDurableRuns
{
    public async Task StartAsync(PipelineRunInput input, CancellationToken cancellationToken = default)
    {
        await hub.Ready.WaitAsync(cancellationToken);
        await hub.Client.CreateOrchestrationInstanceAsync(PipelineRunOrchestrator.Name, "", input.Run.Id, input, tags: null, DurableTaskCoreStatuses.All);
    }

    public async Task CancelAsync(string runId, string reason, CancellationToken cancellationToken = default)
    {
        await hub.Ready.WaitAsync(cancellationToken);
        await hub.Client.RaiseEventAsync(new OrchestrationInstance { InstanceId = runId }, PipelineRunOrchestrator.CancelEvent, reason);
    }
}
