using System.Globalization;
using System.Text.Json.Nodes;
using Orchest.Pipelines.Json;

namespace Orchest.Pipelines.Reading;

/// <summary>Reads the typed view of a migrated pipeline document; every field problem is reported, none stops the reading.</summary>
internal sealed class PipelineReader
{
    public const int MaxNameLength = 255;

    public string Uuid { get; private init; } = "";

    public string Name { get; private init; } = "";

    public required PipelineSettings Settings { get; init; }

    public required JsonObject Parameters { get; init; }

    public required IReadOnlyList<PipelineStep> Steps { get; init; }

    // document: migrated, with an object "steps".
    public static PipelineReader Read(string pipelinePath, JsonObject document, ProblemSink sink)
    {
        var problems = sink.File;
        var name = RequiredString(document, "name", problems);
        if (name.Length > 0 && name.EnumerateRunes().Count() is var length && length > MaxNameLength)
        {
            // Python's len() counted code points; so do we.
            var count = length.ToString(CultureInfo.InvariantCulture);
            problems.Add("name_too_long", "name", $"name is {count} characters long; the limit is {MaxNameLength}.");
        }

        var uuid = RequiredString(document, "uuid", problems);
        var settings = SettingsReader.Read(document["settings"], document.ContainsKey("settings"), problems);

        var parameters = new JsonObject();
        if (document.TryGetPropertyValue("parameters", out var parametersNode))
        {
            if (parametersNode is JsonObject given)
            {
                parameters = (JsonObject)given.DeepClone();
            }
            else
            {
                problems.Add("invalid_field_type", "parameters", $"parameters must be an object, got {ProblemText.Value(parametersNode)}.");
            }
        }

        var folder = ProjectPaths.FolderOf(pipelinePath);
        var steps = new List<PipelineStep>();
        foreach (var (key, node) in document["steps"]!.AsObject())
        {
            if (node is JsonObject step)
            {
                steps.Add(StepReader.Read(steps.Count, key, step, folder, settings.Retry, sink));
            }
            else
            {
                problems.Add("invalid_field_type", $"steps.{key}", $"steps.{key} must be an object (a step), got {ProblemText.Value(node)}.");
            }
        }

        return new PipelineReader { Uuid = uuid, Name = name, Settings = settings, Parameters = parameters, Steps = steps };
    }

    private static string RequiredString(JsonObject document, string field, ProblemScope problems)
    {
        if (!document.TryGetPropertyValue(field, out var node))
        {
            problems.Add("missing_field", field, $"{field} is missing.");
            return "";
        }

        if (!JsonText.TryGetString(node, out var value))
        {
            problems.Add("invalid_field_type", field, $"{field} must be a string, got {ProblemText.Value(node)}.");
        }
        else if (value.Length == 0)
        {
            problems.Add("missing_field", field, $"{field} is empty.");
        }

        return value;
    }
}
