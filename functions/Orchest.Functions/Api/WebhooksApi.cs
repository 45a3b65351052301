using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Orchest.Engine.Events;
using Orchest.Engine.Webhooks;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Hosting;
using Orchest.Functions.Projects;
using Orchest.Functions.Webhooks;

namespace Orchest.Functions.Api;

/// <summary>
/// <c>/api/webhooks</c>: subscriptions (create, list, read, delete) and each one's delivery history. A
/// subscription is checked whole before anything is stored: its URL (form and address), its patterns
/// (each must match a known event type), its project, and that its secret reference is configured.
/// </summary>
internal static partial class WebhooksApi
{
    private const int MaxPatterns = 20;

    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("webhooks");
        webhooks.MapPost("/", CreateAsync).WithName("CreateWebhook");
        webhooks.MapGet("/", ListAsync).WithName("ListWebhooks");
        webhooks.MapGet("/{webhook}", GetAsync).WithName("GetWebhook");
        webhooks.MapDelete("/{webhook}", DeleteAsync).WithName("DeleteWebhook");
        webhooks.MapGet("/{webhook}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries");
        return api;
    }

    internal static async Task<IResult> CreateAsync(
        CreateWebhookRequest? body, IWebhookSubscriptions store, WebhookSubscriptionCache cache, WebhookTargets targets,
        TableProjectRegistry registry, IConfiguration configuration, TimeProvider clock, ILogger<WebhookSender> logger,
        CancellationToken cancellationToken)
    {
        body ??= new CreateWebhookRequest();
        var errors = new List<string>();
        if (WebhookTargets.FormProblem(body.Url, out var url) is { } form)
        {
            errors.Add(form);
        }
        else if (await targets.AddressProblemAsync(url!, cancellationToken) is { } address)
        {
            errors.Add(address);
        }

        var patterns = (body.EventTypes ?? []).Select(p => p?.Trim() ?? "").ToList();
        if (patterns.Count is 0 or > MaxPatterns)
        {
            errors.Add($"\"event_types\" must list 1 to {MaxPatterns} event type patterns, e.g. [\"*:pipeline-run:failed\"].");
        }

        errors.AddRange(patterns.Select(EventTypePattern.Problem).OfType<string>().Select(p => $"\"event_types\": {p}."));
        if (string.IsNullOrWhiteSpace(body.Secret))
        {
            errors.Add($"\"secret\" is required: the name of a signing secret configured as {WebhookOptions.SecretsSection}:<name> on every host.");
        }
        else if (!SecretName().IsMatch(body.Secret) || string.IsNullOrEmpty(configuration[$"{WebhookOptions.SecretsSection}:{body.Secret}"]))
        {
            errors.Add($"\"secret\" \"{body.Secret}\" is not configured: set {WebhookOptions.SecretsSection}:{body.Secret} on every host (the API takes the secret's name, never the secret).");
        }

        var contentType = string.IsNullOrWhiteSpace(body.ContentType) ? WebhookSubscription.Json : body.ContentType.Trim().ToLowerInvariant();
        if (contentType is not (WebhookSubscription.Json or WebhookSubscription.Text))
        {
            errors.Add($"\"content_type\" \"{body.ContentType}\" is not one of json, text.");
        }

        if (body.Name is { Length: > 100 })
        {
            errors.Add("\"name\" must be at most 100 characters.");
        }

        var project = string.IsNullOrWhiteSpace(body.Project) ? null : body.Project.Trim();
        if (project is not null && await registry.GetAsync(project, cancellationToken) is null)
        {
            errors.Add($"\"project\" \"{project}\" does not exist.");
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid("The webhook is not valid", errors);
        }

        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Name = string.IsNullOrWhiteSpace(body.Name) ? null : body.Name.Trim(),
            Url = url!.AbsoluteUri,
            EventTypes = patterns,
            Project = project,
            Secret = body.Secret!,
            ContentType = contentType,
            Created = clock.GetUtcNow(),
        };
        await store.CreateAsync(subscription, cancellationToken);
        cache.Invalidate();
        HostLogs.WebhookCreated(logger, subscription.Id, url.Authority);
        return TypedResults.Created($"/api/webhooks/{subscription.Id}", WebhookResponse.From(subscription));
    }

    internal static async Task<IResult> ListAsync(IWebhookSubscriptions store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new WebhookListResponse((await store.ListAsync(cancellationToken)).Select(WebhookResponse.From).ToList()));

    internal static async Task<IResult> GetAsync(string webhook, IWebhookSubscriptions store, CancellationToken cancellationToken) =>
        await FindAsync(store, webhook, cancellationToken) is { } subscription
            ? TypedResults.Ok(WebhookResponse.From(subscription))
            : NotFound(webhook);

    internal static async Task<IResult> DeleteAsync(
        string webhook, IWebhookSubscriptions store, WebhookSubscriptionCache cache, ILogger<WebhookSender> logger, CancellationToken cancellationToken)
    {
        if (!WebhookId().IsMatch(webhook) || !await store.DeleteAsync(webhook, cancellationToken))
        {
            return NotFound(webhook);
        }

        cache.Invalidate();
        HostLogs.WebhookDeleted(logger, webhook);
        return TypedResults.NoContent();
    }

    internal static async Task<IResult> ListDeliveriesAsync(
        string webhook, [FromQuery(Name = "page_size")] int? pageSize, [FromQuery(Name = "continuation_token")] string? continuationToken,
        IWebhookSubscriptions store, IWebhookDeliveries deliveries, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > 200)
        {
            return ApiProblems.Invalid("The query is not valid", ["\"page_size\" must be between 1 and 200."]);
        }

        if (await FindAsync(store, webhook, cancellationToken) is null)
        {
            return NotFound(webhook);
        }

        var page = await deliveries.ListAsync(webhook, pageSize ?? 50, continuationToken, cancellationToken);
        return TypedResults.Ok(new DeliveryListResponse(page.Deliveries, page.ContinuationToken));
    }

    private static async Task<WebhookSubscription?> FindAsync(IWebhookSubscriptions store, string webhook, CancellationToken cancellationToken) =>
        WebhookId().IsMatch(webhook) ? await store.GetAsync(webhook, cancellationToken) : null;

    private static IResult NotFound(string webhook) => ApiProblems.NotFound($"Webhook \"{webhook}\" does not exist.");

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex WebhookId();

    /// <summary>A configuration key segment: no ':' (it would name another section).</summary>
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex SecretName();
}
