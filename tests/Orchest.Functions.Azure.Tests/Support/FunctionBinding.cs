using System.Text.Json.Serialization;

namespace Orchest.Functions.Azure.Tests.Support;

/// <summary>One binding of a function in functions.metadata.</summary>
public sealed record FunctionBinding(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("route")] string? Route = null,
    [property: JsonPropertyName("methods")] IReadOnlyList<string>? Methods = null,
    [property: JsonPropertyName("authLevel")] string? AuthLevel = null);
