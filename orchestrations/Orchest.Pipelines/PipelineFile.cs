using System.Text.Json.Nodes;
using Orchest.Pipelines.Json;
using Orchest.Pipelines.Migrations;
using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines;

/// <summary>Reads .orchest files (Orchest's pipeline format, versions 1.0.0 to 1.2.3).</summary>
public static class PipelineFile
{
    /// <summary>
    /// Parses <paramref name="json"/>, migrates it in memory to the latest version, and reports every problem
    /// visible in the file alone. Checks that need the project (files, environments) or the graph (cycles,
    /// unknown parents) are <see cref="PipelineValidator.Validate"/>'s, which also repeats these.
    /// </summary>
    /// <param name="json">The file's text.</param>
    /// <param name="pipelinePath">Project-relative path with forward slashes, e.g. "flows/etl.orchest"; step paths resolve from its folder.</param>
    public static PipelineReadResult Parse(string json, string pipelinePath)
    {
        ArgumentNullException.ThrowIfNull(json);
        var path = ProjectPaths.Normalise(pipelinePath);
        var sink = new ProblemSink(path);

        var root = JsonSourceReader.Read(json, sink, stepsAreUuids: true);
        if (root is null && sink.Problems.Count > 0)
        {
            return new PipelineReadResult(null, sink.Problems);
        }

        if (root is not JsonObject document)
        {
            sink.File.Add("invalid_root", null, $"a pipeline file must contain a JSON object, got {ProblemText.Value(root)}.");
            return new PipelineReadResult(null, sink.Problems);
        }

        if (!document.TryGetPropertyValue("steps", out var steps))
        {
            sink.File.Add("missing_field", "steps", "steps is missing; a pipeline without steps has \"steps\": {}.");
            return new PipelineReadResult(null, sink.Problems);
        }

        if (steps is not JsonObject)
        {
            sink.File.Add("invalid_field_type", "steps", $"steps must be an object of steps keyed by uuid, got {ProblemText.Value(steps)}.");
            return new PipelineReadResult(null, sink.Problems);
        }

        if (!PipelineMigrator.TryMigrate(document, sink, out var originalVersion))
        {
            return new PipelineReadResult(null, sink.Problems);
        }

        var pipeline = new PipelineDefinition(path, document, originalVersion, [.. sink.Problems]);
        return new PipelineReadResult(pipeline, pipeline.ReadProblems);
    }
}
