using Microsoft.DurableTask;
using Orchest.Durable;

namespace Orchest.Functions.Azure.Durable;

/// <summary>
/// The run orchestration as an orchestrator function: the Functions host replays it from the task hub's
/// history as <c>orchest serve</c>'s worker does, and the code that decides is the same
/// <see cref="PipelineRunOrchestrator"/> (hand-written because Microsoft.DurableTask.Generators is not served).
/// </summary>
public sealed class PipelineRunFunction
{
    [Function(PipelineRunOrchestrator.Name)]
    public Task<string> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new PipelineRunOrchestrator().RunAsync(context, context.GetInput<PipelineRunInput>()
            ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no {nameof(PipelineRunInput)}."));
}
