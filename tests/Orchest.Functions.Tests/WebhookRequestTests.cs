using System.Net;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;

namespace Orchest.Functions.Tests;

/// <summary>
/// Subscriptions and event queries over HTTP (in-process host, api role): a bad subscription is 400 with
/// every problem and stores nothing; a good one is created, listed, read and deleted; event queries check
/// their arguments.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class WebhookRequestTests(AzuriteFixture azurite, ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    /// <summary>A public address literal: creating a webhook resolves nothing and calls nothing.</summary>
    private const string PublicUrl = "http://93.184.216.34/hooks/orchest";

    [Fact]
    public async Task CreateWebhook_BadUrlsPatternsSecretProjectAndContentType_Returns400WithEveryProblemAndStoresNothing()
    {
        using var api = await host.ClientAsync(azurite);
        var before = await host.Storage.StateAsync();
        var missingProject = Guid.NewGuid().ToString();

        var all = await Problems.AssertAsync(api, HttpMethod.Post, "api/webhooks", new JsonObject
        {
            ["url"] = "ftp://example.com/hook",
            ["event_types"] = new JsonArray("foo:*", "*:pipeline-run:failed"),
            ["secret"] = "nope",
            ["content_type"] = "xml",
            ["project"] = missingProject,
        }, HttpStatusCode.BadRequest, null);
        Assert.Equal(
        [
            "\"url\" must be http or https, not ftp.",
            "\"event_types\": event type pattern \"foo:*\" matches no event type (e.g. \"*:pipeline-run:failed\", \"project:cron-job:*\", \"*\"; GET /api/events/types lists them).",
            "\"secret\" \"nope\" is not configured: set Orchest:WebhookSecrets:nope on every host (the API takes the secret's name, never the secret).",
            "\"content_type\" \"xml\" is not one of json, text.",
            $"\"project\" \"{missingProject}\" does not exist.",
        ], all["errors"]!.AsArray().Select(e => (string)e!));

        foreach (var (url, problem) in new[]
                 {
                     ("not a url", "\"url\" is not an absolute URL (at most 2000 characters)."),
                     ("http://user:pw@93.184.216.34/hook", "\"url\" must not carry credentials (user:password@): they would be stored and shown; sign with the secret instead."),
                     ("http://127.0.0.1:9/hook", "\"url\" host 127.0.0.1 is refused: 127.0.0.1 is a loopback address (allow with Orchest:Webhooks:AllowLoopback)."),
                     ("http://[::1]/hook", "\"url\" host [::1] is refused: ::1 is a loopback address (allow with Orchest:Webhooks:AllowLoopback)."),
                     ("http://169.254.169.254/latest/meta-data", "\"url\" host 169.254.169.254 is refused: 169.254.169.254 is a link-local address (allow with Orchest:Webhooks:AllowLinkLocal)."),
                     ("https://10.1.2.3/hook", "\"url\" host 10.1.2.3 is refused: 10.1.2.3 is in a private network (allow with Orchest:Webhooks:AllowPrivateNetworks)."),
                     ("http://0.0.0.0/hook", "\"url\" host 0.0.0.0 is refused: 0.0.0.0 is not a host address."),
                 })
        {
            await Problems.AssertAsync(api, HttpMethod.Post, "api/webhooks", Subscription(url), HttpStatusCode.BadRequest, "The webhook is not valid: " + problem);
        }

        await Problems.AssertAsync(api, HttpMethod.Post, "api/webhooks", Subscription(PublicUrl, secret: null), HttpStatusCode.BadRequest,
            "The webhook is not valid: \"secret\" is required: the name of a signing secret configured as Orchest:WebhookSecrets:<name> on every host.");
        await Problems.AssertAsync(api, HttpMethod.Post, "api/webhooks", Subscription(PublicUrl, patterns: []), HttpStatusCode.BadRequest,
            "The webhook is not valid: \"event_types\" must list 1 to 20 event type patterns, e.g. [\"*:pipeline-run:failed\"].");
        await Problems.AssertAsync(api, HttpMethod.Post, "api/webhooks", null, HttpStatusCode.BadRequest, null, new StringContent("{\"url\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(before, await host.Storage.StateAsync());
    }

    [Fact]
    public async Task Webhook_CreatedListedReadAndDeleted_TheSecretIsOnlyAName()
    {
        using var api = await host.ClientAsync(azurite);

        var (status, created, _) = await api.SendAsync(HttpMethod.Post, "api/webhooks", Subscription(PublicUrl, project: host.ProjectId));
        Assert.Equal(HttpStatusCode.Created, status);
        var id = (string)created!["id"]!;
        Assert.Equal((PublicUrl, ApiHostFixture.WebhookSecret, "json", host.ProjectId), ((string?)created["url"], (string?)created["secret"], (string?)created["content_type"], (string?)created["project"]));
        Assert.Equal(["*:pipeline-run:failed", "project:cron-job:*"], created["event_types"]!.AsArray().Select(t => (string)t!));

        var (_, listed, _) = await api.SendAsync(HttpMethod.Get, "api/webhooks");
        Assert.Contains(listed!["webhooks"]!.AsArray(), w => (string?)w!["id"] == id);
        var (_, read, _) = await api.SendAsync(HttpMethod.Get, $"api/webhooks/{id}");
        Assert.Equal(created.ToJsonString(), read!.ToJsonString());
        var (_, deliveries, _) = await api.SendAsync(HttpMethod.Get, $"api/webhooks/{id}/deliveries");
        Assert.Empty(deliveries!["deliveries"]!.AsArray());
        var stored = (await host.Storage.AllEntitiesAsync()).Select(r => StorageInspector.Text(r.Entity));
        Assert.DoesNotContain(stored, row => row.Contains("a signing secret of the fixture", StringComparison.Ordinal));

        var (deleted, _, _) = await api.SendAsync(HttpMethod.Delete, $"api/webhooks/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        await Problems.AssertAsync(api, HttpMethod.Get, $"api/webhooks/{id}", null, HttpStatusCode.NotFound, $"Webhook \"{id}\" does not exist.");
        await Problems.AssertAsync(api, HttpMethod.Delete, $"api/webhooks/{id}", null, HttpStatusCode.NotFound, $"Webhook \"{id}\" does not exist.");
        await Problems.AssertAsync(api, HttpMethod.Get, $"api/webhooks/{id}/deliveries", null, HttpStatusCode.NotFound, $"Webhook \"{id}\" does not exist.");
        await Problems.AssertAsync(api, HttpMethod.Get, "api/webhooks/not-a-webhook", null, HttpStatusCode.NotFound, "Webhook \"not-a-webhook\" does not exist.");
    }

    [Fact]
    public async Task EventQueries_BadArguments_Return400_RunEventsAndTypesAreListed()
    {
        using var api = await host.ClientAsync(azurite);

        var problem = await Problems.AssertAsync(api, HttpMethod.Get, $"api/projects/{host.ProjectId}/events?since=yesterday&type=nothing:*&page_size=0", null, HttpStatusCode.BadRequest, null);
        Assert.Equal(3, problem["errors"]!.AsArray().Count);
        await Problems.AssertAsync(api, HttpMethod.Get, $"api/projects/{Guid.NewGuid()}/events", null, HttpStatusCode.NotFound, null);
        await Problems.AssertAsync(api, HttpMethod.Get, $"api/runs/{Guid.NewGuid()}/events", null, HttpStatusCode.NotFound, null);
        await Problems.AssertAsync(api, HttpMethod.Get, $"api/runs/{Guid.NewGuid()}/events/stream", null, HttpStatusCode.NotFound, null);
        await Problems.AssertAsync(api, HttpMethod.Get, $"api/runs/{host.RunId}/events/stream?last_event_id=someone-else-000001", null, HttpStatusCode.BadRequest,
            $"The query is not valid: Last-Event-ID \"someone-else-000001\" is not an event id of run {host.RunId} (\"{host.RunId}-000012\").");

        // The fixture's run was created and never started (this host runs no orchestrations): its creation only.
        var (_, events, _) = await api.SendAsync(HttpMethod.Get, $"api/runs/{host.RunId}/events");
        var created = Assert.Single(events!["events"]!.AsArray())!;
        Assert.Equal(($"{host.RunId}-000000", "run.created", "project:pipeline:interactive-session:pipeline-run:created", "PENDING"),
            ((string?)created["id"], (string?)created["kind"], (string?)created["type"], (string?)created["status"]));

        var (_, types, _) = await api.SendAsync(HttpMethod.Get, "api/events/types");
        var names = types!["types"]!.AsArray().Select(t => (string)t!).ToList();
        Assert.Contains("project:cron-job:run:pipeline-run:failed", names);
        Assert.Contains("project:one-off-job:pipeline-run:step:failed", names);
        Assert.Contains("project:cron-job:paused", names);
    }

    private static JsonObject Subscription(string url, string? secret = ApiHostFixture.WebhookSecret, string[]? patterns = null, string? project = null) => new()
    {
        ["url"] = url,
        ["event_types"] = new JsonArray((patterns ?? ["*:pipeline-run:failed", "project:cron-job:*"]).Select(p => (JsonNode)p).ToArray()),
        ["secret"] = secret,
        ["project"] = project,
    };
}
