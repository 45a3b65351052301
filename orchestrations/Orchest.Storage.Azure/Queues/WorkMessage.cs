using System.Text.Json;
using System.Text.Json.Serialization;
using Orchest.Engine.Scheduling;

namespace Orchest.Storage.Azure.Queues;

/// <summary>The queue message of a ready step: <c>{"run": ..., "step": ..., "attempt": ...}</c>.</summary>
internal sealed record WorkMessage(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("attempt")] int Attempt)
{
    public static string Serialize(StepWorkItem item) => JsonSerializer.Serialize(new WorkMessage(item.RunId, item.StepUuid, item.Attempt));

    /// <summary>The work item, or null for a message that is not ours or is malformed.</summary>
    public static StepWorkItem? Parse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkMessage>(text) is { Run.Length: > 0, Step.Length: > 0, Attempt: > 0 } m
                ? new StepWorkItem(m.Run, m.Step, m.Attempt)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
