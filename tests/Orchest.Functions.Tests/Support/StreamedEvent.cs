using System.Text.Json.Nodes;

namespace Orchest.Functions.Tests.Support;

/// <summary>One Server-Sent Event as a client got it: its id (null for notices), its event name ("message" when none), its data, when it arrived.</summary>
internal sealed record StreamedEvent(string? Id, string Event, string Data, DateTimeOffset At)
{
    public JsonNode Json => JsonNode.Parse(Data)!;

    /// <summary>A run's event (not a notice or the end).</summary>
    public bool IsRunEvent => Event == "message" && Id is not null;

    public override string ToString() => $"{At:HH:mm:ss.fff} id={Id} event={Event} {Data}";
}
