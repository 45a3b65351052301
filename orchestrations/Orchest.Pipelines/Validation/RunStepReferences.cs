using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines.Validation;

/// <summary>Turns the steps a run request names (uuids or titles) into step indexes.</summary>
internal static class RunStepReferences
{
    /// <returns>The chosen steps in request order, without repeats; problems go to <paramref name="sink"/>.</returns>
    public static IReadOnlyList<int> Resolve(
        PipelineDefinition pipeline, StepGraph graph, RunType runType, IReadOnlyCollection<string> stepRefs, ProblemSink sink)
    {
        var runName = runType == RunType.Selection ? "a selection run" : "an incoming run";
        if (stepRefs.Count == 0)
        {
            sink.File.Add("empty_selection", null, $"{runName} needs at least one step; none was given.");
            return [];
        }

        var byTitle = pipeline.Steps.ToLookup(s => s.Title, StringComparer.Ordinal);
        var chosen = new List<int>();
        foreach (var reference in stepRefs.Distinct(StringComparer.Ordinal))
        {
            // A uuid wins over a title, so a step can always be named unambiguously.
            if (graph.TryGetIndex(reference, out var index))
            {
                AddOnce(chosen, index);
                continue;
            }

            var titled = byTitle[reference].ToList();
            switch (titled.Count)
            {
                case 1:
                    AddOnce(chosen, titled[0].Index);
                    break;
                case 0:
                    sink.File.Add("unknown_step", null, $"{runName} names step \"{reference}\", but no step has that uuid or title.");
                    break;
                default:
                    var uuids = ProblemText.List([.. titled.Select(s => s.Uuid)]);
                    sink.File.Add("ambiguous_step_title", null, $"{runName} names step \"{reference}\", a title shared by steps {uuids}; name the step by uuid.");
                    break;
            }
        }

        return chosen;
    }

    private static void AddOnce(List<int> chosen, int index)
    {
        if (!chosen.Contains(index))
        {
            chosen.Add(index);
        }
    }
}
