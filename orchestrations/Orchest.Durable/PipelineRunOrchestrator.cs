using Microsoft.DurableTask;

namespace Orchest.Durable;

/// <summary>
/// A served run (DESIGN §5): one orchestration instance per run, instance id = run id. Each step attempt
/// is one <see cref="RunStepActivity"/> call; the run's decisions are the engine's pure state machine,
/// the same as embedded runs make; its progress goes to <see cref="RunProjectionEntity"/>. A cancel is
/// the external event <see cref="CancelEvent"/>. Returns the run's final status.
/// </summary>
[DurableTask(Name)]
public sealed class PipelineRunOrchestrator : TaskOrchestrator<PipelineRunInput, string>
{
    public const string Name = "PipelineRun";

    /// <summary>External event that cancels the run; its payload is the reason.</summary>
    public const string CancelEvent = "cancel";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, PipelineRunInput input)
    {
        using var driver = new RunDriver(context, input);
        return await driver.DriveAsync();
    }
}
