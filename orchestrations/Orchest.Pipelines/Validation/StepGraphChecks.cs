using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines.Validation;

/// <summary>The checks on how steps name each other: uuids, incoming_connections and cycles.</summary>
internal static class StepGraphChecks
{
    public static void Check(PipelineDefinition pipeline, StepGraph graph, ProblemSink sink)
    {
        foreach (var step in pipeline.Steps)
        {
            var problems = sink.Step(step.Uuid, step.Title);
            if (step.DeclaredUuid is { } declared && declared != step.Uuid)
            {
                problems.Add("step_uuid_mismatch", "uuid", $"uuid \"{declared}\" does not match its key \"{step.Uuid}\" in steps.");
            }

            CheckConnections(pipeline, step, problems);
        }

        CheckDuplicateUuids(pipeline, sink);
        CheckCycles(graph, sink);
    }

    private static void CheckConnections(PipelineDefinition pipeline, PipelineStep step, ProblemScope problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parentUuid in step.IncomingConnections)
        {
            var first = seen.Add(parentUuid);
            if (parentUuid == step.Uuid)
            {
                if (first)
                {
                    problems.Add("self_connection", "incoming_connections", "incoming_connections lists the step itself.");
                }

                continue;
            }

            var parent = pipeline.GetStep(parentUuid);
            if (first && parent is null)
            {
                problems.Add("unknown_parent", "incoming_connections", $"incoming_connections references unknown step \"{parentUuid}\".");
            }
            else if (!first && reported.Add(parentUuid))
            {
                var named = parent is null ? ProblemText.Quoted(parentUuid) : ProblemText.Step(parent.Title, parent.Uuid);
                problems.Add("duplicate_parent", "incoming_connections", $"incoming_connections lists {named} more than once.");
            }
        }
    }

    /// <summary>Keys in "steps" are unique by construction; two steps can still declare the same "uuid".</summary>
    private static void CheckDuplicateUuids(PipelineDefinition pipeline, ProblemSink sink)
    {
        var groups = pipeline.Steps
            .GroupBy(s => s.DeclaredUuid ?? s.Uuid, StringComparer.Ordinal)
            .Where(g => g.Count() > 1);
        foreach (var group in groups)
        {
            var named = group.Select(s => ProblemText.Named(s.Title, s.Uuid)).ToList();
            var text = $"steps {ProblemText.List(named)} have the same uuid \"{group.Key}\".";
            sink.Add(sink.Create("duplicate_step_uuid", "uuid", text) with { StepUuid = group.Key });
        }
    }

    private static void CheckCycles(StepGraph graph, ProblemSink sink)
    {
        foreach (var cycle in CycleFinder.Find(graph.Children))
        {
            var steps = cycle.Append(cycle[0]).Select(i => graph.Steps[i]).ToList();
            var named = string.Join(" -> ", steps.Select(s => ProblemText.Named(s.Title, s.Uuid)));
            var first = steps[0];
            sink.Add(sink.Create("cycle", "incoming_connections", $"cycle between steps {named}.") with
            {
                StepUuid = first.Uuid,
                StepTitle = first.Title,
            });
        }
    }
}
