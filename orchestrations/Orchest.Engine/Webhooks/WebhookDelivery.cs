namespace Orchest.Engine.Webhooks;

/// <summary>The delivery of one event to one subscription: its status and every attempt (the delivery history).</summary>
public sealed record WebhookDelivery
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>Every attempt failed: no more are made; the last error says why.</summary>
    public const string DeadLettered = "dead_lettered";

    public required string Subscription { get; init; }
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    public string? Run { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset Created { get; init; }
    public IReadOnlyList<WebhookAttempt> Attempts { get; init; } = [];
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? Finished { get; init; }
    public string? LastError { get; init; }
}
