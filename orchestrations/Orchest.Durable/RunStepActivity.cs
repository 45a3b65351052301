using Microsoft.DurableTask;
using Orchest.Engine.Scheduling;

namespace Orchest.Durable;

/// <summary>
/// One step attempt (DESIGN §5): runs the step with this host's runner and reports how it went. At least
/// once: an execution lost with its host runs again as a new attempt on another host.
/// </summary>
[DurableTask(Name)]
public sealed class RunStepActivity(StepHost host) : TaskActivity<StepAttemptInput, StepReport>
{
    public const string Name = "RunStep";

    public override Task<StepReport> RunAsync(TaskActivityContext context, StepAttemptInput input) => host.RunAsync(input);
}
