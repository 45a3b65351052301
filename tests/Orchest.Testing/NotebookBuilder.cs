using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchest.Testing;

/// <summary>Builds Jupyter notebooks (nbformat 4.5, Python 3 kernel) for tests that run real notebooks.</summary>
public sealed class NotebookBuilder
{
    private readonly JsonArray _cells = [];

    /// <summary>A code cell; <paramref name="tags"/> go to the cell's metadata (e.g. "skip").</summary>
    public NotebookBuilder Code(string source, params string[] tags) => Add(new JsonObject
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["id"] = $"cell-{_cells.Count}",
        ["metadata"] = Metadata(tags),
        ["outputs"] = new JsonArray(),
        ["source"] = source,
    });

    public NotebookBuilder Markdown(string source) => Add(new JsonObject
    {
        ["cell_type"] = "markdown",
        ["id"] = $"cell-{_cells.Count}",
        ["metadata"] = new JsonObject(),
        ["source"] = source,
    });

    public string ToJson() => new JsonObject
    {
        ["cells"] = _cells.DeepClone(),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = "Python 3", ["language"] = "python", ["name"] = "python3" },
            ["language_info"] = new JsonObject { ["name"] = "python" },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private NotebookBuilder Add(JsonObject cell)
    {
        _cells.Add(cell);
        return this;
    }

    private static JsonObject Metadata(string[] tags) =>
        tags.Length == 0 ? [] : new JsonObject { ["tags"] = new JsonArray(tags.Select(t => (JsonNode)t).ToArray()) };
}
