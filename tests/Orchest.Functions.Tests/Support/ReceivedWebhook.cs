using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Orchest.Engine.Webhooks;

namespace Orchest.Functions.Tests.Support;

/// <summary>One request a <see cref="WebhookReceiver"/> got: when, its headers (lower-case names), its raw body.</summary>
internal sealed record ReceivedWebhook(int Index, DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public JsonNode Event => Json["event"]!;

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    public string EventId => Header(WebhookSignature.EventIdHeader)!;

    public string EventType => Header(WebhookSignature.EventTypeHeader)!;

    public int Attempt => int.Parse(Header(WebhookSignature.AttemptHeader)!, CultureInfo.InvariantCulture);

    /// <summary>What a receiver does: HMAC-SHA256 of "&lt;timestamp&gt;.&lt;body&gt;" with the shared secret, compared in constant time.</summary>
    public bool SignatureVerifies(string secret) =>
        long.TryParse(Header(WebhookSignature.TimestampHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
        && WebhookSignature.Verify(secret, timestamp, Body, Header(WebhookSignature.SignatureHeader));

    public override string ToString() => $"#{Index} {At:HH:mm:ss.fff} {EventType} {EventId} attempt {Header(WebhookSignature.AttemptHeader)}: {Encoding.UTF8.GetString(Body)}";
}
