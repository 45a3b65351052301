using System.Net;
using System.Text.Json.Nodes;
using Orchest.Engine.Jobs;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// A job's life on a real host: pause stops its ticks, trigger-now runs once even while paused, resume
/// restarts them, a new schedule applies from the next tick, cancel aborts running runs; a one-off job in
/// the future fires once; retention keeps the newest N runs and deletes the others' records and blobs.
/// Several jobs share one host (and run at once) to keep the test short.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class JobLifecycleTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Trigger_SequenceTakenByAnUnrecordedTick_IsRecordedUnderTheNextAndBothStayInTheHistory()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("taken").Shell("Quick");
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("a", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("taken-" + bed.Prefix, origin.Root);
        var job = (string)(await api.CreateJobAsync(project, new JsonObject { ["cron"] = "0 0 1 1 *" }))["id"]!;

        // Tick 1 as an execution of the job's orchestration left it when its host died before that episode was
        // recorded (Durable Task had sent the tick's activity): the orchestration that replays knows nothing of it.
        var orphan = new JobTick
        {
            Sequence = 1,
            Key = "at:2026-12-05T00:00:00.000Z",
            Kind = JobTickKind.Scheduled,
            ScheduledFor = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero),
            Started = DateTimeOffset.UtcNow,
            RunIds = ["orphan-run"],
        };
        Assert.Equal(orphan.Key, (await bed.Storage.Jobs().ReserveTickAsync(job, orphan)).Key);

        var (status, body, _) = await api.SendAsync(HttpMethod.Post, $"api/jobs/{job}/trigger");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var triggered = (string)body!["run_ids"]!.AsArray().Single()!;
        var recorded = await api.WaitForJobAsync(job, j => JobApi.Ticks(j).Count >= 2, Timeout, host.ToString);

        var history = JobApi.Ticks(recorded);
        Assert.Equal([1L, 2L], history.Select(t => (long)t["sequence"]!));
        Assert.Equal(("scheduled", "orphan-run"), ((string?)history[0]["kind"], (string?)history[0]["run_ids"]![0]));
        Assert.Equal(("triggered", triggered), ((string?)history[1]["kind"], (string?)history[1]["run_ids"]![0]));
        Assert.Equal(2L, (long)recorded["ticks"]!);

        // The job goes on from there: the next trigger is tick 3.
        await api.SendAsync(HttpMethod.Post, $"api/jobs/{job}/trigger");
        var next = await api.WaitForJobAsync(job, j => JobApi.Ticks(j).Count >= 3, Timeout, host.ToString);
        Assert.Equal(3L, (long)JobApi.Ticks(next)[^1]["sequence"]!);
    }

    [Fact]
    public async Task Cron_PausedTriggeredResumedRescheduledCancelled_RunsOnlyWhenItShould()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("control").Shell("Quick");
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("a", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("control-" + bed.Prefix, origin.Root);
        var job = (string)(await api.CreateJobAsync(project, new JsonObject { ["cron"] = "*/2 * * * * *" }))["id"]!;
        await api.WaitForJobAsync(job, j => (long)j["ticks"]! >= 2, Timeout, host.ToString);

        // Paused: no tick starts runs.
        var paused = await api.CommandAsync(job, "pause");
        Assert.Equal(("PAUSED", (string?)null), ((string?)paused["status"], (string?)paused["next_scheduled_time"]));
        Assert.NotNull(paused["last_scheduled_time"]); // it ticked before the pause
        var before = (await api.JobRunsAsync(job)).Count;
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(before, (await api.JobRunsAsync(job)).Count);

        // Trigger-now while paused: one run (one parameter set), once; the job stays paused.
        var (status, body, _) = await api.SendAsync(HttpMethod.Post, $"api/jobs/{job}/trigger");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var triggered = (string)body!["run_ids"]!.AsArray().Single()!;
        await api.WaitForAnnouncedRunAsync(triggered, Timeout, host.ToString);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var afterTrigger = await api.JobRunsAsync(job);
        Assert.Equal(before + 1, afterTrigger.Count);
        Assert.Equal(triggered, (string?)afterTrigger[0]["id"]);
        var stillPaused = await api.GetJobAsync(job);
        Assert.Equal("PAUSED", (string?)stillPaused["status"]);
        Assert.Equal("triggered", (string?)stillPaused["history"]![0]!["kind"]);

        // Resumed: ticks again, from now on (the ticks missed while paused were not wanted).
        var resumed = await api.CommandAsync(job, "resume");
        Assert.Equal("STARTED", (string?)resumed["status"]);
        var ticks = (long)resumed["ticks"]!;
        var afterResume = await api.WaitForJobAsync(job, j => (long)j["ticks"]! >= ticks + 2, Timeout, host.ToString);
        Assert.All(afterResume["history"]!.AsArray().Take(2), t => Assert.Equal(0L, (long)t!["skipped"]!));

        // A new schedule applies from the next tick.
        var (patchStatus, patched, _) = await api.SendAsync(HttpMethod.Patch, $"api/jobs/{job}", new JsonObject { ["cron"] = "*/3 * * * * *" });
        Assert.Equal(HttpStatusCode.OK, patchStatus);
        Assert.Equal((2L, "*/3 * * * * *"), ((long)patched!["revision"]!, (string?)patched["cron"]));
        var changedAt = DateTimeOffset.UtcNow;
        var rescheduled = await api.WaitForJobAsync(
            job, j => j["history"]!.AsArray().Count(t => (DateTimeOffset)t!["scheduled_for"]! > changedAt) >= 3, Timeout, host.ToString);
        var newTicks = rescheduled["history"]!.AsArray().Select(t => (DateTimeOffset)t!["scheduled_for"]!).Where(t => t > changedAt).Order().ToList();
        Assert.All(newTicks, t => Assert.Equal(0, t.Second % 3));
        Assert.All(newTicks.Zip(newTicks.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(3), p.Second - p.First));
        Assert.Equal(0, ((DateTimeOffset)rescheduled["next_scheduled_time"]!).Second % 3);

        // Cancelled: ABORTED, and no tick after.
        var cancelled = await api.CommandAsync(job, "cancel");
        Assert.Equal(("ABORTED", (string?)null), ((string?)cancelled["status"], (string?)cancelled["next_scheduled_time"]));
        var runs = (await api.JobRunsAsync(job)).Count;
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(runs, (await api.JobRunsAsync(job)).Count);
        Assert.All(await api.JobRunsAsync(job), r => Assert.True(ApiClient.IsTerminal((string?)r["status"])));
    }

    [Fact]
    public async Task OneOffAndRetentionAndCancel_FireOnceKeepNAndAbortRunningRuns()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("lifecycle");
        pipeline.Parameters["n"] = 0;
        pipeline.Step("Echo", "echo.py", Scripts.ParameterEcho, parameters: new JsonObject { ["word"] = "default" });
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("a", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("lifecycle-" + bed.Prefix, origin.Root);
        var env = new JsonObject { ["RESULTS_DIR"] = bed.Folder("results") };

        // Three jobs at once: a one-off in five seconds, a cron job keeping 2 runs, a one-off now whose run sleeps.
        var at = DateTimeOffset.UtcNow.AddSeconds(5);
        var once = await api.CreateJobAsync(project, new JsonObject
        {
            ["start_at"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["grid"] = JsonNode.Parse("""{"pipeline_parameters": {"n": [7, 8]}}"""),
            ["env"] = env.DeepClone(),
        });
        Assert.Equal(("PENDING", at), ((string?)once["status"], (DateTimeOffset?)once["start_at"]));
        var kept = (string)(await api.CreateJobAsync(project, new JsonObject
        {
            ["cron"] = "*/2 * * * * *",
            ["max_retained_pipeline_runs"] = 2,
            ["env"] = env.DeepClone(),
        }))["id"]!;
        var sleeper = (string)(await api.CreateJobAsync(project, new JsonObject
        {
            ["parameters"] = JsonNode.Parse("""[{"Echo": {"sleep": 300}}]"""),
            ["env"] = env.DeepClone(),
        }))["id"]!;

        // Cancel aborts the running run (its step is stopped) and ends the job ABORTED.
        var sleeping = await api.WaitForJobAsync(sleeper, j => (long)j["runs"]! == 1, Timeout, host.ToString);
        Assert.Equal("STARTED", (string?)sleeping["status"]);
        var sleepingRun = (string)(await api.JobRunsAsync(sleeper)).Single()["id"]!;
        await api.WaitForRunAsync(sleepingRun, r => (string?)ApiClient.Step(r, "Echo")["status"] == "STARTED", Timeout, host.ToString);
        var cancelled = await api.CommandAsync(sleeper, "cancel");
        Assert.Equal("ABORTED", (string?)cancelled["status"]);
        var aborted = await api.WaitForEndAsync(sleepingRun, Timeout, host.ToString);
        Assert.Equal(("ABORTED", "ABORTED"), ((string?)aborted["status"], (string?)ApiClient.Step(aborted, "Echo")["status"]));

        // The one-off job fires once, at its time, one run per grid point, and ends SUCCESS.
        var done = await api.WaitForJobAsync((string)once["id"]!, j => (string?)j["status"] == "SUCCESS", Timeout, host.ToString);
        var tick = Assert.Single(done["history"]!.AsArray())!;
        Assert.Equal(("once", at), ((string?)tick["kind"], (DateTimeOffset)tick["scheduled_for"]!));
        Assert.Equal(at, (DateTimeOffset?)done["last_scheduled_time"]);
        Assert.True((DateTimeOffset)tick["started"]! >= at);
        var onceRuns = await api.JobRunsAsync((string)once["id"]!);
        Assert.Equal([7, 8], onceRuns.Select(r => (int)r["job_parameters"]!["pipeline_parameters"]!["n"]!).Order());
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(2, (await api.JobRunsAsync((string)once["id"]!)).Count);

        // Retention: after five ticks, pause, let the runs end, trigger once more: that tick keeps itself and the newest before it.
        await api.WaitForJobAsync(kept, j => (long)j["ticks"]! >= 5, Timeout, host.ToString);
        Assert.Equal("PAUSED", (string?)(await api.CommandAsync(kept, "pause"))["status"]);
        var started = (await api.GetJobAsync(kept))["history"]!.AsArray().SelectMany(t => t!["run_ids"]!.AsArray().Select(r => (string)r!)).ToList();
        foreach (var run in await api.JobRunsAsync(kept))
        {
            await api.WaitForEndAsync((string)run["id"]!, Timeout, host.ToString);
        }

        var (_, trigger, _) = await api.SendAsync(HttpMethod.Post, $"api/jobs/{kept}/trigger");
        var last = (string)trigger!["run_ids"]![0]!;
        await api.WaitForAnnouncedRunAsync(last, Timeout, host.ToString);
        var retained = await api.JobRunsAsync(kept);
        Assert.Equal([last, started[0]], retained.Select(r => (string)r["id"]!));

        // The others are gone: API, run records, blobs.
        var deleted = started.Skip(1).ToList();
        Assert.True(deleted.Count >= 4, $"only {deleted.Count} runs were old enough to delete");
        foreach (var run in deleted)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"api/runs/{run}")).Status);
        }

        var rows = await bed.Storage.AllEntitiesAsync();
        var blobs = await bed.Storage.AllBlobsAsync();
        Assert.DoesNotContain(rows, r => r.Table.EndsWith("orchestruns", StringComparison.Ordinal) && deleted.Contains(r.Entity.PartitionKey));
        Assert.DoesNotContain(rows, r => r.Table.EndsWith("orchestrunindex", StringComparison.Ordinal) && deleted.Any(d => r.Entity.RowKey.EndsWith(d, StringComparison.Ordinal)));
        Assert.DoesNotContain(blobs, b => !b.Container.StartsWith(bed.Storage.TaskHub, StringComparison.Ordinal) && deleted.Any(d => b.Name.Contains(d, StringComparison.Ordinal)));
        Assert.Contains(blobs, b => b.Name.Contains(last, StringComparison.Ordinal));
    }
}
