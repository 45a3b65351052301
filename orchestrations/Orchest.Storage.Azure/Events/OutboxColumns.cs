namespace Orchest.Storage.Azure.Events;

/// <summary>Columns of an outbox row (besides the event document, in <c>d</c>, <c>d1</c>, ...).</summary>
internal static class OutboxColumns
{
    /// <summary>Before this time nobody takes the delivery (a claim's lease, or the backoff before a retry).</summary>
    public const string AvailableAt = "available_at";

    /// <summary>Attempt numbers handed out so far.</summary>
    public const string Claims = "claims";

    /// <summary>The host holding the latest claim.</summary>
    public const string Owner = "owner";

    public const string Created = "created";

    /// <summary>Attempts with an outcome (JSON array of WebhookAttempt).</summary>
    public const string Attempts = "attempts";
}
