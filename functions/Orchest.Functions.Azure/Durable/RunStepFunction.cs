using Orchest.Durable;
using Orchest.Engine.Ports;
using Orchest.Engine.Scheduling;

namespace Orchest.Functions.Azure.Durable;

/// <summary>
/// One step attempt as an activity function: <see cref="RunStepActivity"/>, made by <see cref="DurableTasks"/>
/// from this worker's services exactly as <c>orchest serve</c> makes it, so the step runs through the
/// same <see cref="StepHost"/> (attempt rows, stop checks, the configured step runner).
/// </summary>
public sealed class RunStepFunction(ActivityFunctions activities)
{
    [Function(RunStepActivity.Name)]
    public Task<StepReport> RunAsync([ActivityTrigger] StepAttemptInput input, FunctionContext function) =>
        activities.RunAsync<StepReport>(RunStepActivity.Name, input, function);

    [Function(StartRunServicesActivity.Name)]
    public Task<RunServicesStart> StartServicesAsync([ActivityTrigger] RunServicesInput input, FunctionContext function) =>
        activities.RunAsync<RunServicesStart>(StartRunServicesActivity.Name, input, function);

    [Function(StopRunServicesActivity.Name)]
    public Task<int> StopServicesAsync([ActivityTrigger] string input, FunctionContext function) =>
        activities.RunAsync<int>(StopRunServicesActivity.Name, input, function);
}
