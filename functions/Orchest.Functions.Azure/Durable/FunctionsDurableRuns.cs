using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchest.Durable;

namespace Orchest.Functions.Azure.Durable;

/// <summary>Starts and signals run orchestrations through the Functions extension's client (instance id = run id).</summary>
internal sealed class FunctionsDurableRuns(InvocationDurableClient invocation) : IDurableRuns
{
    public Task StartAsync(PipelineRunInput input, CancellationToken cancellationToken = default) =>
        invocation.StartOnceAsync(PipelineRunOrchestrator.Name, input.Run.Id, input, cancellationToken);

    public Task CancelAsync(string runId, string reason, CancellationToken cancellationToken = default) =>
        invocation.Client.RaiseEventAsync(runId, PipelineRunOrchestrator.CancelEvent, reason, cancellationToken);
}
