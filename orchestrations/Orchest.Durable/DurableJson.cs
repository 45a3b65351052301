using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchest.Durable;

/// <summary>
/// How orchestration inputs, activity results, events and entity operations are serialised: the same
/// options on every host and in the Azure Functions app (a run started by one must replay on another).
/// </summary>
public static class DurableJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
