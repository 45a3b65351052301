namespace Orchest.Functions.Api.Contracts;

/// <summary>Every webhook subscription, oldest first.</summary>
public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Webhooks);
