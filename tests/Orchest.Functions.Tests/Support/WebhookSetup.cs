using System.Net;
using System.Text.Json.Nodes;

namespace Orchest.Functions.Tests.Support;

/// <summary>Webhook settings of the served tests' hosts and the API calls the tests make on subscriptions.</summary>
internal static class WebhookSetup
{
    public const string SecretName = "tests";

    /// <summary>The signing secret the hosts get from configuration (never through the API).</summary>
    public static readonly string Secret = "whsec-" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// Loopback receivers allowed, retries in fractions of a second, each attempt cut off after
    /// <paramref name="timeout"/>, claims of a dead host given up one second after that, subscriptions read at every progress.
    /// </summary>
    public static string[] HostSettings(int maxAttempts = 4, string timeout = "00:00:02") =>
    [
        "--Orchest:Webhooks:AllowLoopback=true",
        $"--Orchest:Webhooks:MaxAttempts={maxAttempts}",
        "--Orchest:Webhooks:FirstRetryDelay=00:00:00.200",
        "--Orchest:Webhooks:MaxRetryDelay=00:00:00.400",
        $"--Orchest:Webhooks:Timeout={timeout}",
        "--Orchest:Webhooks:LeaseGrace=00:00:01",
        "--Orchest:Webhooks:PollInterval=00:00:00.200",
        "--Orchest:Webhooks:SubscriptionRefresh=00:00:00",
        "--Orchest:Events:StreamPollInterval=00:00:00.100",
        $"--Orchest:WebhookSecrets:{SecretName}={Secret}",
    ];

    /// <summary>POST /api/webhooks; asserts 201 and returns the subscription's id.</summary>
    public static async Task<string> SubscribeAsync(ApiClient api, string url, string[] eventTypes, string? project = null, string? contentType = null)
    {
        var body = new JsonObject
        {
            ["name"] = "test " + url,
            ["url"] = url,
            ["event_types"] = new JsonArray(eventTypes.Select(t => (JsonNode)t).ToArray()),
            ["secret"] = SecretName,
            ["project"] = project,
            ["content_type"] = contentType,
        };
        var (status, created, response) = await api.SendAsync(HttpMethod.Post, "api/webhooks", body);
        Assert.True(status == HttpStatusCode.Created, $"POST /api/webhooks answered {(int)status}: {created}");
        Assert.Equal($"/api/webhooks/{(string)created!["id"]!}", response.Headers.Location?.OriginalString);
        return (string)created["id"]!;
    }

    /// <summary>GET /api/webhooks/{id}/deliveries (first page).</summary>
    public static async Task<IReadOnlyList<JsonObject>> DeliveriesAsync(ApiClient api, string webhook)
    {
        var (status, page, _) = await api.SendAsync(HttpMethod.Get, $"api/webhooks/{webhook}/deliveries");
        Assert.True(status == HttpStatusCode.OK, $"GET deliveries answered {(int)status}: {page}");
        return page!["deliveries"]!.AsArray().Select(d => d!.AsObject()).ToList();
    }

    /// <summary>Polls the history until a delivery of <paramref name="eventType"/> (suffix) for <paramref name="run"/> is no longer pending.</summary>
    public static async Task<JsonObject> SettledAsync(ApiClient api, string webhook, string run, string eventType, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var deliveries = await DeliveriesAsync(api, webhook);
            if (deliveries.FirstOrDefault(d => (string?)d["run"] == run && ((string)d["event_type"]!).EndsWith(eventType, StringComparison.Ordinal)
                                               && (string?)d["status"] != "pending") is { } settled)
            {
                return settled;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Webhook {webhook} did not settle its {eventType} delivery of run {run} within {timeout.TotalSeconds} s: "
                            + string.Join("\n", deliveries.Select(d => d.ToJsonString())));
            }

            await Task.Delay(200);
        }
    }
}
