using DurableTask.Core;
using Orchest.Durable.Jobs;

namespace Orchest.Durable.AzureStorage;

/// <summary>Starts and signals job orchestrations with DurableTask.Core's client.</summary>
public sealed class DurableTaskCoreJobs(OrchestTaskHub hub) : IDurableJobs
{
    public async Task<bool> StartAsync(JobOrchestrationInput input, CancellationToken cancellationToken = default)
    {
        await hub.Ready.WaitAsync(cancellationToken);
        var instanceId = JobOrchestrator.InstanceId(input.JobId);
        if (await hub.Client.GetOrchestrationStateAsync(instanceId) is not null)
        {
            return false;
        }

        await hub.Client.CreateOrchestrationInstanceAsync(JobOrchestrator.Name, "", instanceId, input, tags: null, DurableTaskCoreStatuses.All);
        return true;
    }

    public async Task SendAsync(string jobId, JobCommand command, CancellationToken cancellationToken = default)
    {
        await hub.Ready.WaitAsync(cancellationToken);
        await hub.Client.RaiseEventAsync(new OrchestrationInstance { InstanceId = JobOrchestrator.InstanceId(jobId) }, JobOrchestrator.CommandEvent, command);
    }
}
