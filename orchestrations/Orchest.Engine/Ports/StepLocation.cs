using System.Text.Json.Serialization;

namespace Orchest.Engine.Ports;

/// <summary>Where an output set lives (PROTOCOL.md §2): a local folder or a blob prefix with a SAS query.</summary>
public sealed record StepLocation(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path = null,
    [property: JsonPropertyName("url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null,
    [property: JsonPropertyName("query"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Query = null)
{
    public static StepLocation Directory(string path) => new("dir", Path: path);

    public static StepLocation Blob(string url, string query) => new("blob", Url: url, Query: query);

    public override string ToString() => Kind == "dir" ? $"dir:{Path}" : $"blob:{Url}";
}
