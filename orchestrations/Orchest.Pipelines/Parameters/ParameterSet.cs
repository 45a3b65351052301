using System.Text.Json.Nodes;

namespace Orchest.Pipelines.Parameters;

/// <summary>
/// The parameters of one job run in Orchest's job format: <c>{"pipeline_parameters": {...}, "&lt;step&gt;": {...}}</c>.
/// Steps are named by uuid or title until the set is bound to a pipeline.
/// </summary>
/// <param name="PipelineParameters">The pipeline parameters of the set; null when the entry has no <c>pipeline_parameters</c>.</param>
/// <param name="StepParameters">Parameters per step reference, in the order given.</param>
public sealed record ParameterSet(JsonObject? PipelineParameters, IReadOnlyList<KeyValuePair<string, JsonObject>> StepParameters)
{
    /// <summary>The key Orchest's job parameters use for the pipeline's own parameters.</summary>
    public const string PipelineKey = "pipeline_parameters";

    /// <summary>A set that changes nothing (the pipeline's own parameters).</summary>
    public static ParameterSet Empty { get; } = new(null, []);

    /// <summary>The set in Orchest's format (a new object every call).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (PipelineParameters is not null)
        {
            json[PipelineKey] = PipelineParameters.DeepClone();
        }

        foreach (var (step, values) in StepParameters)
        {
            json[step] = values.DeepClone();
        }

        return json;
    }

    /// <summary>Reads one entry of Orchest's <c>parameters</c> list; problems are prefixed with <paramref name="where"/>.</summary>
    public static ParameterSet? Read(JsonNode? entry, string where, ICollection<string> problems)
    {
        if (entry is not JsonObject json)
        {
            problems.Add($"{where} must be an object like {{\"{PipelineKey}\": {{...}}, \"<step uuid or title>\": {{...}}}}.");
            return null;
        }

        JsonObject? pipeline = null;
        var steps = new List<KeyValuePair<string, JsonObject>>();
        var valid = true;
        foreach (var (key, value) in json)
        {
            if (value is not JsonObject values)
            {
                problems.Add($"{where}.{key} must be an object of parameter values.");
                valid = false;
                continue;
            }

            if (key == PipelineKey)
            {
                pipeline = (JsonObject)values.DeepClone();
            }
            else
            {
                steps.Add(new(key, (JsonObject)values.DeepClone()));
            }
        }

        return valid ? new ParameterSet(pipeline, steps) : null;
    }
}
