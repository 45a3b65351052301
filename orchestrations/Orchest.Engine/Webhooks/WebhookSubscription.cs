using Orchest.Engine.Events;

namespace Orchest.Engine.Webhooks;

/// <summary>
/// A webhook: where to POST which events, signed with which secret. The secret itself is never here,
/// only the name of the configuration entry holding it (<c>Orchest:WebhookSecrets:&lt;name&gt;</c>).
/// </summary>
public sealed record WebhookSubscription
{
    /// <summary>The full event document in a JSON envelope.</summary>
    public const string Json = "json";

    /// <summary><c>{"text": "..."}</c>: one readable line, what Slack and Teams incoming webhooks take.</summary>
    public const string Text = "text";

    public required string Id { get; init; }
    public string? Name { get; init; }
    public required string Url { get; init; }

    /// <summary>Event type patterns (<see cref="EventTypePattern"/>); an event matching any of them is delivered.</summary>
    public required IReadOnlyList<string> EventTypes { get; init; }

    /// <summary>Only this project's events (null: every project's).</summary>
    public string? Project { get; init; }

    /// <summary>Name of the secret in configuration (<c>Orchest:WebhookSecrets:&lt;name&gt;</c>).</summary>
    public required string Secret { get; init; }

    /// <summary><see cref="Json"/> or <see cref="Text"/>.</summary>
    public string ContentType { get; init; } = Json;

    public required DateTimeOffset Created { get; init; }

    public bool Matches(OrchestEvent orchestEvent) =>
        (Project is null || string.Equals(Project, orchestEvent.Project, StringComparison.Ordinal))
        && EventTypes.Any(pattern => EventTypePattern.Matches(pattern, orchestEvent.Type));
}
