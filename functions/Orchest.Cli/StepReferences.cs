using System.Text.Json.Nodes;
using Orchest.Pipelines;

namespace Orchest.Cli;

/// <summary>Resolves step references typed by users (a uuid or a unique title) to step uuids.</summary>
internal static class StepReferences
{
    public static Dictionary<string, JsonObject> Resolve(PipelineDefinition pipeline, Dictionary<string, JsonObject> byReference, CliProblems problems)
    {
        var resolved = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (reference, values) in byReference)
        {
            var byUuid = pipeline.GetStep(reference);
            var byTitle = pipeline.Steps.Where(s => s.Title == reference).ToList();
            if (byUuid is null && byTitle.Count != 1)
            {
                problems.Add(byTitle.Count == 0
                    ? $"--step-param: {pipeline.Path} has no step \"{reference}\" (use a step uuid or title)."
                    : $"--step-param: title \"{reference}\" is shared by steps {string.Join(", ", byTitle.Select(s => s.Uuid))}; use a uuid.");
                continue;
            }

            var uuid = (byUuid ?? byTitle[0]).Uuid;
            if (resolved.TryGetValue(uuid, out var existing))
            {
                foreach (var (key, value) in values)
                {
                    existing[key] = value?.DeepClone();
                }
            }
            else
            {
                resolved[uuid] = values;
            }
        }

        return resolved;
    }
}
