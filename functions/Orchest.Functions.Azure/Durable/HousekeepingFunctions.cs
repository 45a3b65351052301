using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchest.Durable.Housekeeping;

namespace Orchest.Functions.Azure.Durable;

/// <summary>The hub's housekeeping as an orchestrator function: the same <see cref="HousekeepingOrchestrator"/> as <c>orchest serve</c> hosts.</summary>
public sealed class HousekeepingFunction
{
    [Function(HousekeepingOrchestrator.Name)]
    public Task<string> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new HousekeepingOrchestrator().RunAsync(context, context.GetInput<HousekeepingInput>()
            ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no {nameof(HousekeepingInput)}."));
}

/// <summary>
/// A housekeeping round as an activity function. It may start job orchestrations and stop runs, so it gets the
/// <c>[DurableClient]</c> binding.
/// </summary>
public sealed class HousekeepingActivityFunction(ActivityFunctions activities)
{
    [Function(HousekeepingActivity.Name)]
    public Task<HousekeepingOutcome> RoundAsync([ActivityTrigger] HousekeepingRound input, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        activities.RunAsync<HousekeepingOutcome>(HousekeepingActivity.Name, input, function, client);
}
