using Orchest.Engine.Webhooks;

namespace Orchest.Functions.Api.Contracts;

/// <summary>A page of a webhook's deliveries, newest event first, each with every attempt.</summary>
public sealed record DeliveryListResponse(IReadOnlyList<WebhookDelivery> Deliveries, string? ContinuationToken);
