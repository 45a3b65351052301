using System.Net;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// Webhooks against real local receivers on a real host: signed once per subscription, retried with
/// backoff up to a bound, dead-lettered, cut off when the receiver hangs, delivered after the sending host
/// is killed, every attempt in the delivery history.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class WebhookTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const string LeakedToken = "tok-7f3a9c-never-in-an-event";

    /// <summary>Prepare succeeds; Train prints a few lines (one with the run's secret token) and exits 3.</summary>
    private static readonly PipelineBuilder Failing = new PipelineBuilder("failing")
        .Step("Prepare", "prepare.sh", "echo prepared\n")
        .Step("Train", "train.sh", "echo epoch 1\necho \"using token $API_TOKEN\"\necho 'loss went NaN' >&2\nexit 3\n", ["Prepare"]);

    [Fact]
    public async Task FailedRun_OneSignedRunFailedEventPerSubscription_RetriedDeadLetteredAndCutOffAsConfigured()
    {
        await using var bed = new ServedTestbed(azurite, output);
        using var origin = ServedTestbed.Repository(Failing);
        await using var ok = await WebhookReceiver.StartAsync();
        await using var flaky = await WebhookReceiver.StartAsync(r => Task.FromResult(r.Index < 3 ? 500 : 200));
        var released = new TaskCompletionSource();
        await using var hanging = await WebhookReceiver.StartAsync(async r =>
        {
            if (r.Index == 0)
            {
                await released.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }

            return 200;
        });
        await using var steps = await WebhookReceiver.StartAsync();
        var host = await bed.StartHostAsync("solo", "api,worker,timers", WebhookSetup.HostSettings());
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("hooks-" + bed.Prefix, origin.Root);

        string[] runFailed = ["*:pipeline-run:failed"];
        var okId = await WebhookSetup.SubscribeAsync(api, ok.Url, runFailed);
        var flakyId = await WebhookSetup.SubscribeAsync(api, flaky.Url, ["project:pipeline:interactive-session:pipeline-run:failed"]);
        var downId = await WebhookSetup.SubscribeAsync(api, WebhookReceiver.DownUrl(), runFailed);
        var hangingId = await WebhookSetup.SubscribeAsync(api, hanging.Url, runFailed, contentType: "text");
        var stepsId = await WebhookSetup.SubscribeAsync(api, steps.Url, ["*:step:*"], project);

        var runId = (string)(await api.CreateRunAsync(project, new JsonObject { ["env"] = new JsonObject { ["API_TOKEN"] = LeakedToken } }))["id"]!;
        var run = await api.WaitForEndAsync(runId, Timeout, host.ToString);
        Assert.Equal("FAILURE", (string?)run["status"]);

        // The plain receiver: one request, signed, the event as the schema says.
        var received = await ok.WaitForAsync(r => r.EventType.EndsWith(":pipeline-run:failed", StringComparison.Ordinal), Timeout, "the run-failed event");
        Assert.True(received.SignatureVerifies(WebhookSetup.Secret), "the signature verifies with the subscription's secret");
        Assert.False(received.SignatureVerifies("another secret"));
        var e = received.Event;
        Assert.Equal((okId, received.EventId), ((string?)received.Json["delivered_for"]!["id"], (string?)e["id"]));
        Assert.Equal(("project:pipeline:interactive-session:pipeline-run:failed", "run.failed", "FAILURE"), ((string?)e["type"], (string?)e["kind"], (string?)e["status"]));
        Assert.Equal((project, runId, (string?)run["commit"], "main.orchest"), ((string?)e["project"], (string?)e["run"], (string?)e["commit"], (string?)e["pipeline_path"]));
        Assert.Equal(1, received.Attempt);
        var failed = Assert.Single(e["failed_steps"]!.AsArray())!;
        Assert.Equal(("Train", 3), ((string?)failed["title"], (int?)failed["exit_code"]));
        var tail = (string)failed["log_tail"]!;
        Assert.Contains("loss went NaN", tail, StringComparison.Ordinal);
        Assert.Contains("using token ***", tail, StringComparison.Ordinal);
        Assert.DoesNotContain(LeakedToken, System.Text.Encoding.UTF8.GetString(received.Body), StringComparison.Ordinal);

        // 500, 500, 500, then 200: delivered by attempt 4, the history shows all four.
        var flakyDelivery = await WebhookSetup.SettledAsync(api, flakyId, runId, ":pipeline-run:failed", Timeout);
        Assert.Equal("delivered", (string?)flakyDelivery["status"]);
        Assert.Equal([(1, 500), (2, 500), (3, 500), (4, 200)], Attempts(flakyDelivery).Select(a => ((int)a["number"]!, (int)a["status_code"]!)));
        Assert.Equal([1, 2, 3, 4], flaky.Received.Select(r => r.Attempt));
        Assert.Single(flaky.Received.Select(r => r.EventId).Distinct());

        // Down: a bounded number of attempts, then dead-lettered with why.
        var dead = await WebhookSetup.SettledAsync(api, downId, runId, ":pipeline-run:failed", Timeout);
        Assert.Equal("dead_lettered", (string?)dead["status"]);
        Assert.Equal([1, 2, 3, 4], Attempts(dead).Select(a => (int)a["number"]!));
        Assert.All(Attempts(dead), a => Assert.Null(a["status_code"]));
        Assert.Contains("refused", (string)dead["last_error"]!, StringComparison.OrdinalIgnoreCase);

        // Hanging: cut off by the timeout, delivered by the next attempt; the others were not held up meanwhile.
        var cut = await WebhookSetup.SettledAsync(api, hangingId, runId, ":pipeline-run:failed", Timeout);
        released.TrySetResult();
        Assert.Equal("delivered", (string?)cut["status"]);
        var (first, second) = (Attempts(cut)[0], Attempts(cut)[1]);
        Assert.Contains("timed out after 2 s", (string)first["error"]!, StringComparison.Ordinal);
        Assert.Equal(200, (int)second["status_code"]!);
        Assert.True(ok.Received[0].At < hanging.Received[1].At, "the plain receiver got the event while the hanging one was still held");
        var text = (string)hanging.Received[1].Json["text"]!;
        Assert.Contains($"run {runId}: failed. Failed: \"Train\" (exit code 3)", text, StringComparison.Ordinal);

        // Step events reach the subscription filtered to this project, in per-step order.
        await steps.WaitForAsync(r => r.EventType.EndsWith(":step:failed", StringComparison.Ordinal), Timeout, "the step-failed event");
        var stepTypes = steps.Received.Select(r => ((string)r.Event["step_title"]!, (string)r.Event["kind"]!)).ToList();
        Assert.Contains(("Prepare", "step.started"), stepTypes);
        Assert.Contains(("Prepare", "step.succeeded"), stepTypes);
        Assert.Contains(("Train", "step.started"), stepTypes);
        Assert.Contains(("Train", "step.failed"), stepTypes);

        // Exactly one run-failed event per subscription: one delivery each, one event id everywhere.
        foreach (var webhook in new[] { okId, flakyId, downId, hangingId })
        {
            Assert.Single(await WebhookSetup.DeliveriesAsync(api, webhook), d => ((string)d["event_type"]!).EndsWith(":pipeline-run:failed", StringComparison.Ordinal));
        }

        Assert.Single(ok.Received);
        var eventIds = new[] { ok, flaky, hanging }.SelectMany(r => r.Received).Select(r => r.EventId).Distinct().ToList();
        Assert.Equal([received.EventId], eventIds);
        var (_, listed, _) = await api.SendAsync(HttpMethod.Get, $"api/projects/{project}/events?type=*:pipeline-run:failed");
        Assert.Equal(received.EventId, (string?)Assert.Single(listed!["events"]!.AsArray())!["id"]);

        // The webhook secret is configuration only; the run's token is in no stored event.
        var stored = (await bed.Storage.AllEntitiesAsync()).Select(r => StorageInspector.Text(r.Entity)).ToList();
        Assert.DoesNotContain(stored, row => row.Contains(WebhookSetup.Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(stored, row => row.Contains(LeakedToken, StringComparison.Ordinal));
        Assert.DoesNotContain(WebhookSetup.Secret, host.Output, StringComparison.Ordinal);

        output.WriteLine($"run-failed event at {e["time"]}, received {received.At:o}: latency {(received.At - (DateTimeOffset)e["time"]!).TotalMilliseconds:0} ms");
        var stepLatencies = steps.Received.Where(r => (string?)r.Event["kind"] is "step.succeeded" or "step.failed")
            .Select(r => (r.At - (DateTimeOffset)r.Event["time"]!).TotalMilliseconds).Order().ToList();
        output.WriteLine($"step end to receipt over {stepLatencies.Count} events: {string.Join(", ", stepLatencies.Select(l => $"{l:0} ms"))}");
    }

    [Fact]
    public async Task HostKilledMidDelivery_AnotherHostDeliversTheSameEvent()
    {
        await using var bed = new ServedTestbed(azurite, output);
        using var origin = ServedTestbed.Repository(Failing);
        var held = new TaskCompletionSource();
        await using var receiver = await WebhookReceiver.StartAsync(async r =>
        {
            if (r.Index == 0)
            {
                await held.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }

            return 200;
        });
        var settings = WebhookSetup.HostSettings(timeout: "00:00:05");
        var first = await bed.StartHostAsync("a", "api,worker", settings);
        string project, runId, webhook;
        using (var api = bed.Api(first))
        {
            project = await api.CreateProjectAsync("killed-" + bed.Prefix, origin.Root);
            webhook = await WebhookSetup.SubscribeAsync(api, receiver.Url, ["*:pipeline-run:failed"]);
            runId = (string)(await api.CreateRunAsync(project, new JsonObject()))["id"]!;
        }

        // Host a sends the event and dies before the receiver answers.
        var sent = await receiver.WaitForAsync(_ => true, Timeout, "the first attempt");
        await first.KillAsync();
        held.TrySetResult();
        var second = await bed.StartHostAsync("b", "api,worker", settings);
        using var apiB = bed.Api(second);

        var again = await receiver.WaitForAsync(r => r.Index == 1, Timeout, "the event again, from host b");
        Assert.Equal(sent.EventId, again.EventId);
        Assert.Equal(sent.Event["id"]!.ToJsonString(), again.Event["id"]!.ToJsonString());
        Assert.Equal((1, 2), (sent.Attempt, again.Attempt));
        Assert.True(again.SignatureVerifies(WebhookSetup.Secret));
        var delivery = await WebhookSetup.SettledAsync(apiB, webhook, runId, ":pipeline-run:failed", Timeout);
        Assert.Equal("delivered", (string?)delivery["status"]);
        var attempts = Attempts(delivery);
        Assert.Equal(("a", "b"), ((string?)attempts[0]["host"], (string?)attempts[1]["host"]));
        Assert.Contains("no outcome recorded", (string)attempts[0]["error"]!, StringComparison.Ordinal);
        Assert.Equal(200, (int)attempts[1]["status_code"]!);
    }

    private static List<JsonObject> Attempts(JsonObject delivery) => delivery["attempts"]!.AsArray().Select(a => a!.AsObject()).ToList();
}
