namespace Orchest.Engine.Webhooks;

/// <summary>The delivery history of subscriptions.</summary>
public interface IWebhookDeliveries
{
    Task<DeliveryPage> ListAsync(string subscription, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);
}
