using DurableTask.Core;
using Orchest.Durable.Jobs;

namespace Orchest.Durable.AzureStorage;

/// <summary>Starts and signals job orchestrations with DurableTask.Core's client.</summary>
public sealed class DurableTaskCoreJobs(OrchestTaskHub hub) : IDurableJobs
{
    public async Task StartAsync(JobOrchestrationInput input, CancellationToken cancellationToken = default)
    {
        await hub.Ready.WaitAsync(cancellationToken);
        await hub.Client.CreateOrchestrationInstanceAsync(
            JobOrchestrator.Name, "", JobOrchestrator.InstanceId(input.JobId), input, tags: null, DurableTaskCoreStatuses.All);
    }

    public async Task SendAsync(string jobId, JobCommand command, CancellationToken cancellationToken = default)
    {
        await hub.Ready.WaitAsync(cancellationToken);
        await hub.Client.RaiseEventAsync(new OrchestrationInstance { InstanceId = JobOrchestrator.InstanceId(jobId) }, JobOrchestrator.CommandEvent, command);
    }
}
