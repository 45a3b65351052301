using System.Text.Json.Serialization;

namespace Orchest.Engine.Ports;

/// <summary>One parent of a step as the step context lists it (PROTOCOL.md §2).</summary>
public sealed record StepInput(
    [property: JsonPropertyName("step_uuid")] string StepUuid,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("location")] StepLocation? Location);
