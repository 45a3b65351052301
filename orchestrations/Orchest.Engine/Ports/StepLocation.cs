using System.Text.Json.Serialization;

namespace Orchest.Engine.Ports;

/// <summary>
/// Where an output set lives (PROTOCOL.md §2): a local folder, or a blob prefix in a container with a
/// SAS query (a file F is at <c>ContainerUrl/Prefix + F + "?" + Query</c>).
/// </summary>
public sealed record StepLocation(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path = null,
    [property: JsonPropertyName("container_url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ContainerUrl = null,
    [property: JsonPropertyName("prefix"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Prefix = null,
    [property: JsonPropertyName("query"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Query = null)
{
    public static StepLocation Directory(string path) => new("dir", Path: path);

    public static StepLocation Blob(string containerUrl, string prefix, string query) =>
        new("blob", ContainerUrl: containerUrl, Prefix: prefix, Query: query);

    /// <summary>Never prints the SAS query.</summary>
    public override string ToString() => Kind == "dir" ? $"dir:{Path}" : $"blob:{ContainerUrl}/{Prefix}";
}
