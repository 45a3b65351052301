using Orchest.Engine.Runs;

namespace Orchest.Engine.Execution;

/// <summary>One attempt of one step to run on this host.</summary>
/// <param name="Run">The run (ids, pipeline, session type).</param>
/// <param name="Step">The step, with the attempt number to run as.</param>
/// <param name="ParentOutputSets">
/// Output sets of parents that succeeded in this run, by parent uuid (an entry with a null set: the parent
/// succeeded without outputs). Parents not listed are read from their latest committed set (Orchest semantics).
/// </param>
/// <param name="Definition">The run's definition (effective pipeline, environment variables).</param>
public sealed record StepAttemptRequest(
    RunRecord Run,
    StepRecord Step,
    IReadOnlyDictionary<string, string?> ParentOutputSets,
    RunDefinition Definition)
{
    /// <summary>Output sets of the parents that succeeded in <paramref name="snapshot"/>.</summary>
    public static IReadOnlyDictionary<string, string?> ParentSetsIn(RunSnapshot snapshot, StepRecord step)
    {
        var sets = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var parent in step.Parents)
        {
            if (snapshot.FindStep(parent) is { Status: ExecutionStatus.Success } done)
            {
                sets[parent] = done.OutputSet;
            }
        }

        return sets;
    }

    public override string ToString() => $"StepAttemptRequest {{ RunId = {Run.Id}, StepUuid = {Step.Uuid}, Attempt = {Step.Attempt} }}";
}
