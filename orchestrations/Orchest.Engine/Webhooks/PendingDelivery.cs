namespace Orchest.Engine.Webhooks;

/// <summary>
/// A delivery in the outbox, as a sender claims it: the event document to send, the attempt numbers handed
/// out so far (<paramref name="Claims"/>; a claim whose host died has no outcome in <paramref name="Attempts"/>),
/// and when it may next be taken.
/// </summary>
/// <param name="Subscription">The subscription.</param>
/// <param name="Key">The delivery's key within the subscription (the same in the outbox and the history).</param>
/// <param name="EventJson">The event as stored when it was recorded (<see cref="Events.OrchestEventJson"/>).</param>
/// <param name="Claims">Attempts begun (the next claim is attempt <c>Claims + 1</c>).</param>
/// <param name="Owner">The host holding the latest claim.</param>
/// <param name="AvailableAt">Before this, nobody takes it (retry backoff, or a claim's lease).</param>
/// <param name="Attempts">Attempts with an outcome, in order.</param>
/// <param name="Created">When it was queued.</param>
/// <param name="Version">Optimistic-concurrency token of the outbox row (claims are conditional on it).</param>
public sealed record PendingDelivery(
    string Subscription,
    string Key,
    string EventJson,
    int Claims,
    string? Owner,
    DateTimeOffset AvailableAt,
    IReadOnlyList<WebhookAttempt> Attempts,
    DateTimeOffset Created,
    string Version);
