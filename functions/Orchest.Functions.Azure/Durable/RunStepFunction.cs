using Orchest.Durable;
using Orchest.Engine.Scheduling;

namespace Orchest.Functions.Azure.Durable;

/// <summary>
/// One step attempt as an activity function: <see cref="RunStepActivity"/>, made by <see cref="DurableTasks"/>
/// from this worker's services exactly as <c>orchest serve</c> makes it, so the step runs through the
/// same <see cref="StepHost"/> (attempt rows, stop checks, the configured step runner).
/// </summary>
public sealed class RunStepFunction(DurableTasks tasks)
{
    [Function(RunStepActivity.Name)]
    public async Task<StepReport> RunAsync([ActivityTrigger] StepAttemptInput input, FunctionContext function)
    {
        var activity = tasks.CreateActivity(RunStepActivity.Name, function.InstanceServices)
            ?? throw new InvalidOperationException($"No activity named \"{RunStepActivity.Name}\" is registered.");
        var report = await activity.RunAsync(new FunctionActivityContext(RunStepActivity.Name, InstanceId(function)), input);
        return (StepReport)report!;
    }

    private static string InstanceId(FunctionContext function) =>
        function.BindingContext.BindingData.TryGetValue("instanceId", out var id) && id is not null ? id.ToString()! : "";
}
