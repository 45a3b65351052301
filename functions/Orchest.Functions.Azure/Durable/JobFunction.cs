using Microsoft.DurableTask;
using Orchest.Durable.Jobs;

namespace Orchest.Functions.Azure.Durable;

/// <summary>A job's orchestration as an orchestrator function: the same <see cref="JobOrchestrator"/> as <c>orchest serve</c> hosts.</summary>
public sealed class JobFunction
{
    [Function(JobOrchestrator.Name)]
    public Task<string> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new JobOrchestrator().RunAsync(context, context.GetInput<JobOrchestrationInput>()
            ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no {nameof(JobOrchestrationInput)}."));
}
