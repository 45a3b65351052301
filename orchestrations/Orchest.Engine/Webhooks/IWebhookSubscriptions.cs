namespace Orchest.Engine.Webhooks;

/// <summary>The stored webhook subscriptions.</summary>
public interface IWebhookSubscriptions
{
    Task CreateAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default);

    Task<WebhookSubscription?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the subscription, its pending deliveries and its history; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}
