using Orchest.Engine.Webhooks;

namespace Orchest.Functions.Api.Contracts;

/// <summary>A webhook subscription as the API shows it (<c>secret</c> is the reference, never a secret).</summary>
public sealed record WebhookResponse(
    string Id, string? Name, string Url, IReadOnlyList<string> EventTypes, string? Project, string Secret, string ContentType, DateTimeOffset Created)
{
    public static WebhookResponse From(WebhookSubscription s) =>
        new(s.Id, s.Name, s.Url, s.EventTypes, s.Project, s.Secret, s.ContentType, s.Created);
}
