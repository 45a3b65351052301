using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Durable;

/// <summary>One dispatched step attempt, as the orchestration hands it to <see cref="RunStepActivity"/>.</summary>
/// <param name="Run">The run record at dispatch.</param>
/// <param name="Step">The step, with the dispatched attempt number.</param>
/// <param name="ParentOutputSets">Output sets of the parents that succeeded in this run (null: succeeded without outputs).</param>
/// <param name="Services">Where the run's started services listen (null: the run has none); the step gets them in ORCHEST_SERVICES.</param>
public sealed record StepAttemptInput(
    RunRecord Run, StepRecord Step, IReadOnlyDictionary<string, string?> ParentOutputSets, IReadOnlyList<ServiceEndpoint>? Services = null)
{
    public override string ToString() => $"StepAttemptInput {{ RunId = {Run.Id}, StepUuid = {Step.Uuid}, Attempt = {Step.Attempt} }}";
}
