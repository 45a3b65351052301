using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchest.Engine.Events;

/// <summary>
/// The one JSON form of <see cref="OrchestEvent"/>: snake_case, nulls written (a stable shape receivers can
/// rely on), ISO 8601 times. Webhook bodies, the event stream and the API all write it.
/// </summary>
public static class OrchestEventJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(OrchestEvent value) => JsonSerializer.Serialize(value, Options);

    public static OrchestEvent Deserialize(string json) =>
        JsonSerializer.Deserialize<OrchestEvent>(json, Options) ?? throw new JsonException("empty event document");
}
