using System.Text.Json.Nodes;

namespace Orchest.Testing;

/// <summary>Builds .orchest documents for tests: steps by title, parents by title, deterministic uuids.</summary>
public sealed class PipelineBuilder
{
    private readonly List<(string Title, string File, string[] Parents, JsonObject Parameters, JsonObject? Extra)> _steps = [];
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    public PipelineBuilder(string name = "test pipeline", string? uuid = null)
    {
        Name = name;
        Uuid = uuid ?? Guid.NewGuid().ToString();
    }

    public string Name { get; }
    public string Uuid { get; }
    public JsonObject Settings { get; } = new() { ["auto_eviction"] = false, ["data_passing_memory_size"] = "1GB", ["max_steps_parallelism"] = 0 };
    public JsonObject Parameters { get; } = [];

    public IReadOnlyDictionary<string, string> StepFiles => _files;

    /// <summary>Adds a step; <paramref name="script"/> (if given) is written to <paramref name="file"/> by <see cref="TempProject.WritePipeline"/>.</summary>
    public PipelineBuilder Step(string title, string file, string? script = null, string[]? parents = null, JsonObject? parameters = null, JsonObject? extra = null)
    {
        _steps.Add((title, file, parents ?? [], parameters ?? [], extra));
        if (script is not null)
        {
            _files[file] = script;
        }

        return this;
    }

    /// <summary>A bash step that prints its title (the cheapest real step).</summary>
    public PipelineBuilder Shell(string title, params string[] parents) =>
        Step(title, $"{Slug(title)}.sh", $"echo \"{title} ran\"\n", parents);

    public PipelineBuilder Setting(string key, JsonNode? value)
    {
        Settings[key] = value;
        return this;
    }

    /// <summary>Deterministic uuid of a step title within this pipeline.</summary>
    public string StepUuid(string title) => new Guid(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(Uuid + "/" + title)).AsSpan(0, 16)).ToString();

    public string ToJson()
    {
        var steps = new JsonObject();
        foreach (var (title, file, parents, parameters, extra) in _steps)
        {
            var step = new JsonObject
            {
                ["uuid"] = StepUuid(title),
                ["title"] = title,
                ["file_path"] = file,
                ["incoming_connections"] = new JsonArray(parents.Select(p => (JsonNode)StepUuid(p)).ToArray()),
                ["environment"] = "",
                ["kernel"] = new JsonObject { ["name"] = "python", ["display_name"] = "Python 3" },
                ["parameters"] = parameters.DeepClone(),
                ["meta_data"] = new JsonObject { ["hidden"] = false, ["position"] = new JsonArray(0, 0) },
            };
            foreach (var (key, value) in extra ?? [])
            {
                step[key] = value?.DeepClone();
            }

            steps[StepUuid(title)] = step;
        }

        return new JsonObject
        {
            ["name"] = Name,
            ["uuid"] = Uuid,
            ["version"] = "1.2.3",
            ["settings"] = Settings.DeepClone(),
            ["parameters"] = Parameters.DeepClone(),
            ["steps"] = steps,
        }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static string Slug(string title) => string.Concat(title.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_'));
}
