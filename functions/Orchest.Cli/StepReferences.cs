using System.Text.Json.Nodes;
using Orchest.Pipelines;

namespace Orchest.Cli;

/// <summary>Resolves step references typed by users (a uuid or a unique title) to step uuids.</summary>
internal static class StepReferences
{
    /// <summary>
    /// Groups <c>step:key=value</c> items by step uuid. The step part ends at the colon that makes it
    /// name a step of the pipeline (a title may itself contain colons; the longest match wins).
    /// </summary>
    public static Dictionary<string, JsonObject> Resolve(PipelineDefinition pipeline, IReadOnlyList<string> items, CliProblems problems)
    {
        var resolved = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var match = Colons(item, equals)
                .Select(colon => (Colon: colon, Steps: pipeline.FindSteps(item[..colon])))
                .FirstOrDefault(m => m.Steps.Count == 1);
            if (match.Steps is not { Count: 1 })
            {
                FindOne(pipeline, item[..item.IndexOf(':', StringComparison.Ordinal)], "--step-param: ", problems);
                continue;
            }

            var key = item[(match.Colon + 1)..equals];
            var values = resolved.TryGetValue(match.Steps[0].Uuid, out var existing) ? existing : resolved[match.Steps[0].Uuid] = [];
            values[key] = ArgumentParsers.ParseValue(item[(equals + 1)..]);
        }

        return resolved;
    }

    /// <summary>The one step <paramref name="reference"/> (a uuid or a title) names, or null with the problem said.</summary>
    public static PipelineStep? FindOne(PipelineDefinition pipeline, string reference, string prefix, CliProblems problems)
    {
        var found = pipeline.FindSteps(reference);
        if (found.Count == 1)
        {
            return found[0];
        }

        problems.Add(found.Count > 1
            ? $"{prefix}title \"{reference}\" is shared by steps {string.Join(", ", found.Select(s => s.Uuid))}; use a uuid."
            : $"{prefix}{pipeline.Path} has no step \"{reference}\" (use a step uuid or title; steps: {string.Join(", ", pipeline.Steps.Select(s => $"\"{s.Title}\""))}).");
        return null;
    }

    /// <summary>Colon positions before <paramref name="end"/> that leave a non-empty key, last first.</summary>
    private static IEnumerable<int> Colons(string item, int end)
    {
        for (var at = item.LastIndexOf(':', end - 2); at > 0; at = item.LastIndexOf(':', at - 1))
        {
            yield return at;
        }
    }
}
