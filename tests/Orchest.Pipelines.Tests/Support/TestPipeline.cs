using System.Text.Json.Nodes;

namespace Orchest.Pipelines.Tests.Support;

/// <summary>Builds small version 1.2.3 pipeline files: steps named by uuid, titled by default with the uuid in upper case.</summary>
public sealed class TestPipeline
{
    private readonly JsonObject steps = [];
    private readonly JsonObject settings = new() { ["auto_eviction"] = false, ["data_passing_memory_size"] = "1GB", ["max_steps_parallelism"] = 0 };

    public const string Path = "main.orchest";
    public const string Uuid = "6698ed48-c20c-409b-a96d-b0a1c4a76bdf";

    public JsonObject Settings => settings;

    /// <remarks>Pass two or more parents as an array (<c>Step("d", ["b", "c"])</c>): three strings bind to the titled overload.</remarks>
    public TestPipeline Step(string uuid, params string[] parents) =>
        Step(uuid, uuid.ToUpperInvariant(), $"{uuid}.py", parents);

    public TestPipeline Step(string uuid, string title, string filePath, params string[] parents)
    {
        steps[uuid] = new JsonObject
        {
            ["environment"] = "",
            ["file_path"] = filePath,
            ["incoming_connections"] = new JsonArray([.. parents.Select(p => (JsonNode)JsonValue.Create(p))]),
            ["kernel"] = new JsonObject { ["display_name"] = "Python 3", ["name"] = "python" },
            ["parameters"] = new JsonObject(),
            ["title"] = title,
            ["uuid"] = uuid,
        };
        return this;
    }

    /// <summary>Changes a field of a step already added (null removes it).</summary>
    public TestPipeline Set(string uuid, string field, JsonNode? value, bool remove = false)
    {
        var step = steps[uuid]!.AsObject();
        if (remove)
        {
            step.Remove(field);
        }
        else
        {
            step[field] = value;
        }

        return this;
    }

    public JsonObject ToJsonObject() => new()
    {
        ["name"] = "Main",
        ["parameters"] = new JsonObject(),
        ["settings"] = settings.DeepClone(),
        ["steps"] = steps.DeepClone(),
        ["uuid"] = Uuid,
        ["version"] = "1.2.3",
    };

    public string ToJson() => ToJsonObject().ToJsonString();

    public PipelineDefinition Parse(string path = Path)
    {
        var result = PipelineFile.Parse(ToJson(), path);
        return result.Pipeline ?? throw new InvalidOperationException(string.Join("\n", result.Problems.Select(p => p.Message)));
    }

    public static PipelineDefinition Parse(JsonObject document, string path = Path) =>
        PipelineFile.Parse(document.ToJsonString(), path).Pipeline!;
}
