namespace Orchest.Functions.Api.Contracts;

/// <summary>Body of <c>POST /api/webhooks</c>.</summary>
public sealed record CreateWebhookRequest
{
    public string? Name { get; init; }

    /// <summary>Where to POST (http or https).</summary>
    public string? Url { get; init; }

    /// <summary>Event type patterns (<c>*</c> = any characters), e.g. <c>["*:pipeline-run:failed"]</c>.</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>Only this project's events (optional).</summary>
    public string? Project { get; init; }

    /// <summary>Name of the signing secret in configuration (<c>Orchest:WebhookSecrets:&lt;name&gt;</c>), never the secret itself.</summary>
    public string? Secret { get; init; }

    /// <summary><c>json</c> (default) or <c>text</c> (Slack/Teams: <c>{"text": "..."}</c>).</summary>
    public string? ContentType { get; init; }
}
