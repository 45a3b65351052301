using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// Jobs and events together on a real host with real local webhook receivers: a job's runs carry Orchest's
/// job-run event types, and the job's own transitions (created, started, a cron tick and its roll-up, paused,
/// failed, cancelled) are events with stable ids, each delivered once per subscription.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class JobEventTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static readonly PipelineBuilder Failing = new PipelineBuilder("failing")
        .Step("Train", "train.sh", "echo epoch 1\necho 'loss went NaN' >&2\nexit 3\n");

    [Fact]
    public async Task JobsWithFailingRuns_JobRunAndJobEventsOncePerSubscriptionWithStableIds()
    {
        await using var bed = new ServedTestbed(azurite, output);
        using var origin = ServedTestbed.Repository(Failing);
        await using var everything = await WebhookReceiver.StartAsync();
        await using var runFailed = await WebhookReceiver.StartAsync();
        var host = await bed.StartHostAsync("solo", "api,worker,timers", WebhookSetup.HostSettings());
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("jobev-" + bed.Prefix, origin.Root);
        var everythingId = await WebhookSetup.SubscribeAsync(api, everything.Url, ["*:pipeline-run:failed", "project:one-off-job:*", "project:cron-job:*"]);
        var runFailedId = await WebhookSetup.SubscribeAsync(api, runFailed.Url, ["project:one-off-job:pipeline-run:failed"], project);

        // A one-off job now: its one run fails, so the job ends FAILURE.
        var once = (string)(await api.CreateJobAsync(project, new JsonObject()))["id"]!;
        var ended = await api.WaitForJobAsync(once, j => (string?)j["status"] == "FAILURE", Timeout, host.ToString);
        var onceRun = (string)(await api.JobRunsAsync(once)).Single()["id"]!;

        // Its run's failure has the one-off job run's type, with the job; once per subscription.
        var received = await runFailed.WaitForAsync(r => r.Event["run"]?.GetValue<string>() == onceRun, Timeout, "the job run's failed event");
        Assert.Equal("project:one-off-job:pipeline-run:failed", received.EventType);
        Assert.Equal((once, "one-off", "run.failed"), ((string?)received.Event["job"], (string?)received.Event["job_kind"], (string?)received.Event["kind"]));
        Assert.True(received.SignatureVerifies(WebhookSetup.Secret));

        // The job's own events: created, started, failed, with ids made of the job and the transition.
        var jobFailed = await everything.WaitForAsync(r => r.EventId == once + "-failed", Timeout, "the job's failed event");
        Assert.Equal(("project:one-off-job:failed", "job.failed", "FAILURE"), (jobFailed.EventType, (string?)jobFailed.Event["kind"], (string?)jobFailed.Event["status"]));
        Assert.Equal((project, once, "one-off"), ((string?)jobFailed.Event["project"], (string?)jobFailed.Event["job"], (string?)jobFailed.Event["job_kind"]));
        Assert.Equal((string?)ended["message"], (string?)jobFailed.Event["message"]);
        Assert.Equal("project:one-off-job:created", everything.Received.Single(r => r.EventId == once + "-created").EventType);
        Assert.Equal("project:one-off-job:started", everything.Received.Single(r => r.EventId == once + "-started").EventType);

        // A cron job: created and started at once, ticks of runs, paused, cancelled; its runs' failures are cron job runs'.
        var cron = (string)(await api.CreateJobAsync(project, new JsonObject { ["cron"] = "*/2 * * * * *" }))["id"]!;
        await api.WaitForJobAsync(cron, j => (long)j["runs"]! >= 1, Timeout, host.ToString);
        var cronRun = (string)(await api.JobRunsAsync(cron)).Last()["id"]!;
        Assert.Equal("FAILURE", (string?)(await api.WaitForEndAsync(cronRun, Timeout, host.ToString))["status"]);
        Assert.Equal("PAUSED", (string?)(await api.CommandAsync(cron, "pause"))["status"]);
        var cancelled = await api.CommandAsync(cron, "cancel");
        Assert.Equal("ABORTED", (string?)cancelled["status"]);

        var cronRunFailed = await everything.WaitForAsync(
            r => r.Event["run"]?.GetValue<string>() == cronRun && r.EventType.EndsWith(":pipeline-run:failed", StringComparison.Ordinal), Timeout, "the cron job run's failed event");
        Assert.Equal(("project:cron-job:run:pipeline-run:failed", cron, "cron"), (cronRunFailed.EventType, (string?)cronRunFailed.Event["job"], (string?)cronRunFailed.Event["job_kind"]));
        var ticks = (long)cancelled["ticks"]!;
        bool OfCronJob(ReceivedWebhook r) => (string?)r.Event["job"] == cron && !r.EventType.Contains(":pipeline-run:", StringComparison.Ordinal);
        await Wait.UntilAsync(
            () => everything.Received.Any(r => r.EventId == cron + "-cancelled") && everything.Received.Count(r => OfCronJob(r) && r.EventType == "project:cron-job:run:started") >= ticks,
            Timeout, () => $"the cron job's events; received:\n{string.Join("\n", everything.Received.Where(OfCronJob))}");
        var cronEvents = everything.Received.Where(OfCronJob).ToList();
        Assert.Equal(cron + "-created", Assert.Single(cronEvents, r => r.EventType == "project:cron-job:created").EventId);
        Assert.Equal(cron + "-started", Assert.Single(cronEvents, r => r.EventType == "project:cron-job:started").EventId);
        Assert.StartsWith(cron + "-paused-", Assert.Single(cronEvents, r => r.EventType == "project:cron-job:paused").EventId, StringComparison.Ordinal);
        var cancelledEvent = Assert.Single(cronEvents, r => r.EventType == "project:cron-job:cancelled");
        Assert.Equal((cron + "-cancelled", "ABORTED"), (cancelledEvent.EventId, (string?)cancelledEvent.Event["status"]));
        var tickEvents = cronEvents.Where(r => r.EventType == "project:cron-job:run:started").Select(r => r.EventId).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            Enumerable.Range(1, (int)ticks).Select(t => $"{cron}-tick-{t}-started").Order(StringComparer.Ordinal),
            tickEvents);
        Assert.Equal(cronRun, (string?)cronEvents.Single(r => r.EventId == cron + "-tick-1-started").Event["run"]);

        // The tick's roll-up once its run ended: failed, naming the run (Orchest's project:cron-job:run:failed).
        var tickFailed = await everything.WaitForAsync(r => r.EventId == cron + "-tick-1-failed", Timeout, "the first tick's roll-up");
        Assert.Equal(("project:cron-job:run:failed", "job.run.failed", "FAILURE", cronRun),
            (tickFailed.EventType, (string?)tickFailed.Event["kind"], (string?)tickFailed.Event["status"], (string?)tickFailed.Event["run"]));
        Assert.Equal($"Tick 1 ended: 0 succeeded, 1 failed, 0 cancelled (failed: {cronRun}).", (string?)tickFailed.Event["message"]);

        // Exactly once: no event id twice at a receiver, one delivery per event per subscription, listed once.
        Assert.All(everything.Received.GroupBy(r => r.EventId), g => Assert.Single(g));
        Assert.Single(runFailed.Received);
        var deliveries = await WebhookSetup.DeliveriesAsync(api, everythingId);
        Assert.All(deliveries.GroupBy(d => (string?)d["event_id"]), g => Assert.Single(g));
        Assert.Single(await WebhookSetup.DeliveriesAsync(api, runFailedId));
        var (_, listed, _) = await api.SendAsync(HttpMethod.Get, $"api/projects/{project}/events?type=project:one-off-job:*&page_size=100");
        var jobEvents = listed!["events"]!.AsArray().Where(e => (string?)e!["run"] is null).Select(e => (string)e!["id"]!).ToList();
        Assert.Equal([once + "-created", once + "-started", once + "-failed"], jobEvents);

        output.WriteLine($"job failed at {jobFailed.Event["time"]}, received {jobFailed.At:o}; cron job events: {string.Join(", ", cronEvents.Select(r => r.EventId[(cron.Length + 1)..]))}");
    }
}
