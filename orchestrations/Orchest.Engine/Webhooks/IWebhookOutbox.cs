namespace Orchest.Engine.Webhooks;

/// <summary>
/// The durable outbox senders take deliveries from. A delivery stays until it is delivered or dead-lettered;
/// a claim is a lease (a host that dies mid-delivery loses it when the lease ends, and the delivery is taken
/// again: at least once).
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>
    /// At most <paramref name="max"/> deliveries to <paramref name="subscription"/> available at <paramref name="now"/>
    /// (not leased, backoff over). Asked per subscription so one with a large backlog never hides the others'.
    /// </summary>
    Task<IReadOnlyList<PendingDelivery>> ListDueAsync(string subscription, DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>Takes <paramref name="due"/> for one attempt until <paramref name="leaseUntil"/>; null when another host took it first.</summary>
    Task<PendingDelivery?> ClaimAsync(PendingDelivery due, string host, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an attempt's outcome in the history (<paramref name="record"/>) and then, with
    /// <paramref name="retryAt"/>, makes the delivery available again at that time; without, removes it from the outbox.
    /// </summary>
    Task SettleAsync(PendingDelivery claimed, WebhookDelivery record, DateTimeOffset? retryAt, CancellationToken cancellationToken = default);
}
