using Orchest.Durable.Jobs;

namespace Orchest.Functions.Azure.Durable;

/// <summary>Starts and signals job orchestrations through the Functions extension's client.</summary>
internal sealed class FunctionsDurableJobs(InvocationDurableClient invocation) : IDurableJobs
{
    public Task<bool> StartAsync(JobOrchestrationInput input, CancellationToken cancellationToken = default) =>
        invocation.StartOnceAsync(JobOrchestrator.Name, JobOrchestrator.InstanceId(input.JobId), input, cancellationToken);

    public Task SendAsync(string jobId, JobCommand command, CancellationToken cancellationToken = default) =>
        invocation.Client.RaiseEventAsync(JobOrchestrator.InstanceId(jobId), JobOrchestrator.CommandEvent, command, cancellationToken);
}
