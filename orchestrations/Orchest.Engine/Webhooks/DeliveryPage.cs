namespace Orchest.Engine.Webhooks;

/// <summary>A page of a subscription's deliveries, newest event first.</summary>
public sealed record DeliveryPage(IReadOnlyList<WebhookDelivery> Deliveries, string? ContinuationToken);
