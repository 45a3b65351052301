using Orchest.Engine.Runs;

namespace Orchest.Durable;

/// <summary>One dispatched step attempt, as the orchestration hands it to <see cref="RunStepActivity"/>.</summary>
/// <param name="Run">The run record at dispatch.</param>
/// <param name="Step">The step, with the dispatched attempt number.</param>
/// <param name="ParentOutputSets">Output sets of the parents that succeeded in this run (null: succeeded without outputs).</param>
public sealed record StepAttemptInput(RunRecord Run, StepRecord Step, IReadOnlyDictionary<string, string?> ParentOutputSets)
{
    public override string ToString() => $"StepAttemptInput {{ RunId = {Run.Id}, StepUuid = {Step.Uuid}, Attempt = {Step.Attempt} }}";
}
