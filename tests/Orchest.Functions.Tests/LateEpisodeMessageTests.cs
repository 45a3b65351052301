using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using DurableTask.Core;
using DurableTask.Core.History;
using Orchest.Durable;
using Orchest.Durable.Jobs;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// Messages of a killed host's last episode. Durable Task on Azure Storage sends an episode's messages before it
/// checkpoints it; when the host dies in between, the episode runs again elsewhere from the last checkpoint and
/// numbers its timers and calls as the dead one did, so the dead episode's timer firings and call results arrive
/// under numbers the new episode gave its own (perhaps other) timers and calls. Each test sends such a message itself.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class LateEpisodeMessageTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int BackoffSeconds = 8;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Waits for the test's go (a file in $FLAG_DIR).</summary>
    private const string WaitForGo = "while [ ! -f \"$FLAG_DIR/go\" ]; do sleep 0.1; done\necho \"attempt $ORCHEST_STEP_ATTEMPT\"\n";

    /// <summary>Fails its first attempt; each attempt appends "attempt start end" (Unix seconds) to $TIMES.</summary>
    private const string FlakyStep =
        """
        start=$(date +%s.%N)
        if [ "$ORCHEST_STEP_ATTEMPT" = 1 ]; then
          echo "1 $start $(date +%s.%N)" >> "$TIMES"
          exit 1
        fi
        echo "$ORCHEST_STEP_ATTEMPT $start $(date +%s.%N)" >> "$TIMES"
        """;

    [Fact]
    public async Task Retry_TimerFiredEarlyByADeadEpisodesTimer_StillWaitsItsBackoff()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var times = Path.Combine(bed.Folder("times"), "attempts");
        var pipeline = new PipelineBuilder("backoff")
            .Setting("retry", new JsonObject { ["max_attempts"] = 2, ["backoff_seconds"] = BackoffSeconds })
            .Step("Flaky", "flaky.sh", FlakyStep);
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("solo", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("backoff-" + bed.Prefix, origin.Root);
        var run = (string)(await api.CreateRunAsync(project, new JsonObject { ["env"] = new JsonObject { ["TIMES"] = times } }))["id"]!;

        // The backoff's timer once checkpointed in the run's history (due at least half the backoff ahead), fired now.
        TableEntity? timer = null;
        var soon = DateTime.UtcNow + TimeSpan.FromSeconds(BackoffSeconds / 2.0);
        await Wait.UntilAsync(async () => (timer = (await bed.Storage.HistoryAsync(run)).FirstOrDefault(e =>
            e.GetString("EventType") == nameof(EventType.TimerCreated) && e.GetDateTime("FireAt")?.ToUniversalTime() > soon)) is not null, Timeout, host.ToString);
        await SendAsync(bed, run, timer!, new TimerFiredEvent(-1, DateTime.UtcNow) { TimerId = timer!.GetInt32("EventId")!.Value });

        var ended = await api.WaitForEndAsync(run, Timeout, host.ToString);
        Assert.Equal("SUCCESS", (string?)ended["status"]);
        Assert.Equal(2, (int?)ApiClient.Step(ended, "Flaky")["attempt"]);

        // The early firing reached the run (it said so) and the second attempt still began a backoff after the first ended.
        await Wait.UntilAsync(() => host.Output.Contains("its wait ended", StringComparison.Ordinal), TimeSpan.FromSeconds(10), host.ToString);
        var attempts = (await File.ReadAllLinesAsync(times)).Select(line => line.Split(' ')).ToDictionary(
            parts => int.Parse(parts[0], CultureInfo.InvariantCulture),
            parts => (Start: double.Parse(parts[1], CultureInfo.InvariantCulture), End: double.Parse(parts[2], CultureInfo.InvariantCulture)));
        Assert.Equal([1, 2], attempts.Keys.Order());
        var waited = attempts[2].Start - attempts[1].End;
        Assert.True(waited >= BackoffSeconds, $"attempt 2 began {waited:0.00} s after attempt 1 ended; the backoff is {BackoffSeconds} s\n{host}");
    }

    /// <summary>Results a step call can get under its number: another step's report, another kind of call's (a number, as the services' removal returns), none.</summary>
    [Theory]
    [InlineData("another step's report")]
    [InlineData("a number")]
    [InlineData("no result")]
    public async Task Step_ResultOfAnotherCallUnderItsNumber_IsNotTakenForItsOwn(string result)
    {
        await using var bed = new ServedTestbed(azurite, output);
        var flags = bed.Folder("flags");
        var pipeline = new PipelineBuilder("other-call")
            .Step("Quick", "quick.sh", "echo quick\n")
            .Step("Slow", "slow.sh", "while [ ! -f \"$FLAG_DIR/go\" ]; do sleep 0.1; done\necho \"slow attempt $ORCHEST_STEP_ATTEMPT\"\n");
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("solo", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("other-call-" + bed.Prefix, origin.Root);
        var run = (string)(await api.CreateRunAsync(project, new JsonObject { ["env"] = new JsonObject { ["FLAG_DIR"] = flags } }))["id"]!;
        await api.WaitForRunAsync(run, r =>
            (string?)ApiClient.Step(r, "Quick")["status"] == "SUCCESS" && (string?)ApiClient.Step(r, "Slow")["status"] == "STARTED", Timeout, host.ToString);
        var slow = pipeline.StepUuid("Slow");

        // Delivered as the result of Slow's call: what a dead episode that had numbered its calls otherwise sends.
        (TableEntity Scheduled, TableEntity Completed)? calls = null;
        await Wait.UntilAsync(async () => (calls = await CallsAsync(bed, run)) is not null, Timeout, host.ToString);
        var (slowCall, quickResult) = calls!.Value;
        var sent = result switch
        {
            "another step's report" => quickResult.GetString("Result"),
            "a number" => "1",
            _ => null,
        };
        await SendAsync(bed, run, slowCall, new TaskCompletedEvent(-1, slowCall.GetInt32("EventId")!.Value, sent));

        // The run sees it is not Slow's result and runs Slow again (a result that is no step report at all can
        // also fail the call, which the call's retry policy runs again); Slow is not done before it did its work.
        var meanwhile = await api.WaitForRunAsync(run, r => (string?)ApiClient.Step(r, "Slow")["status"] != "STARTED"
            || host.Output.Contains($"step {slow} attempt 2 begins", StringComparison.Ordinal), Timeout, host.ToString);
        Assert.Equal("STARTED", (string?)ApiClient.Step(meanwhile, "Slow")["status"]);
        Assert.Equal("STARTED", (string?)meanwhile["status"]);

        await File.WriteAllTextAsync(Path.Combine(flags, "go"), "");
        var ended = await api.WaitForEndAsync(run, Timeout, host.ToString);
        Assert.Equal("SUCCESS", (string?)ended["status"]);
        Assert.Equal("SUCCESS", (string?)ApiClient.Step(ended, "Slow")["status"]);
        var attempt = (int)ApiClient.Step(ended, "Slow")["attempt"]!;
        var log = System.Text.Encoding.UTF8.GetString((await api.GetBytesAsync($"api/runs/{run}/steps/{slow}/logs")).Content);
        Assert.Contains($"slow attempt {attempt}", log, StringComparison.Ordinal);
    }

    /// <summary>Results a one-off job's count of its runs can get under its number: its tick's, a record's, none.</summary>
    [Theory]
    [InlineData("its tick's result")]
    [InlineData("a record's result")]
    [InlineData("no result")]
    public async Task JobRunCount_ResultOfAnotherCallUnderItsNumber_DoesNotEndTheJob(string result)
    {
        await using var bed = new ServedTestbed(azurite, output);
        var flags = bed.Folder("flags");
        using var origin = ServedTestbed.Repository(new PipelineBuilder("job-count").Step("Slow", "slow.sh", WaitForGo));

        // One activity at a time: the job's next count waits while the run's step holds the host's only slot.
        var host = await bed.StartHostAsync("solo", "api,worker,timers", "--Orchest:TaskHub:MaxConcurrentActivities=1");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("job-count-" + bed.Prefix, origin.Root);
        var job = (string)(await api.CreateJobAsync(project, new JsonObject { ["env"] = new JsonObject { ["FLAG_DIR"] = flags } }))["id"]!;
        await api.WaitForJobAsync(job, j => (long)j["runs"]! == 1, Timeout, host.ToString);
        var run = (string)(await api.JobRunsAsync(job)).Single()["id"]!;
        await api.WaitForRunAsync(run, r => (string?)ApiClient.Step(r, "Slow")["status"] == "STARTED", Timeout, host.ToString);

        var instance = "job-" + job;
        TableEntity? count = null;
        await Wait.UntilAsync(async () => (count = PendingCall(await bed.Storage.HistoryAsync(instance), "CountJobRuns")) is not null, Timeout, host.ToString);
        var tick = new JobTickResult([run], [], 1, null) { Key = JobRunIds.ScheduledKey((DateTimeOffset)Assert.Single(JobApi.Ticks(await api.GetJobAsync(job)))["scheduled_for"]!), Sequence = 1 };
        var sent = result switch
        {
            "its tick's result" => JsonSerializer.Serialize(tick, DurableJson.Options),
            "a record's result" => "true",
            _ => null,
        };
        await SendAsync(bed, instance, count!, new TaskCompletedEvent(-1, count!.GetInt32("EventId")!.Value, sent));

        // The job counts again (or its call's retry policy does) instead of recording its end while its run goes on
        // (taken as counts, a tick's result reads as no runs at all: the job would have ended SUCCESS).
        IReadOnlyList<TableEntity> history = [];
        await Wait.UntilAsync(
            async () =>
            {
                history = await bed.Storage.HistoryAsync(instance);
                return CallsAfter(history, count, "CountJobRuns") || CallsAfter(history, count, "RecordJob");
            },
            Timeout,
            host.ToString);
        Assert.False(CallsAfter(history, count, "RecordJob"), $"the job recorded its end while its run went on\n{host}");
        Assert.Equal("STARTED", (string?)(await api.GetJobAsync(job))["status"]);
        Assert.Equal("STARTED", (string?)(await api.GetRunAsync(run))["status"]);

        await File.WriteAllTextAsync(Path.Combine(flags, "go"), "");
        var ended = await api.WaitForJobAsync(job, j => (string?)j["status"] != "STARTED", Timeout, host.ToString);
        Assert.Equal(("SUCCESS", 1L, 1L), ((string?)ended["status"], (long)ended["runs"]!, (long)ended["ticks"]!));
        Assert.Equal("SUCCESS", (string?)(await api.GetRunAsync(run))["status"]);
    }

    [Fact]
    public async Task JobTick_ResultOfAnotherTickUnderItsNumber_IsNotCountedAsItsOwn()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var flags = bed.Folder("flags");
        var env = new JsonObject { ["FLAG_DIR"] = flags };
        using var origin = ServedTestbed.Repository(new PipelineBuilder("job-tick").Step("Slow", "slow.sh", WaitForGo));

        // A run's step holds the host's only activity slot: the job's tick call waits behind it.
        var host = await bed.StartHostAsync("solo", "api,worker,timers", "--Orchest:TaskHub:MaxConcurrentActivities=1");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("job-tick-" + bed.Prefix, origin.Root);
        var blocker = (string)(await api.CreateRunAsync(project, new JsonObject { ["env"] = env.DeepClone() }))["id"]!;
        await api.WaitForRunAsync(blocker, r => (string?)ApiClient.Step(r, "Slow")["status"] == "STARTED", Timeout, host.ToString);
        var job = (string)(await api.CreateJobAsync(project, new JsonObject { ["env"] = env.DeepClone() }))["id"]!;

        // Delivered as the tick call's result: what a dead episode's call of another tick (three runs) returned.
        var instance = "job-" + job;
        TableEntity? tick = null;
        await Wait.UntilAsync(async () => (tick = PendingCall(await bed.Storage.HistoryAsync(instance), "StartJobTick")) is not null, Timeout, host.ToString);
        var other = new JobTickResult(["other-1", "other-2", "other-3"], [], 1, null) { Key = "trigger:another", Sequence = 1, Skipped = 0 };
        await SendAsync(bed, instance, tick!, new TaskCompletedEvent(-1, tick!.GetInt32("EventId")!.Value, JsonSerializer.Serialize(other, DurableJson.Options)));

        // Taken in (the call is no longer pending) while the tick's own activity still waits for the slot; then the slot frees.
        await Wait.UntilAsync(async () => PendingCall(await bed.Storage.HistoryAsync(instance), "StartJobTick") is not { } pending
            || pending.GetString("ExecutionId") != tick.GetString("ExecutionId") || pending.GetInt32("EventId") != tick.GetInt32("EventId"), Timeout, host.ToString);
        await File.WriteAllTextAsync(Path.Combine(flags, "go"), "");
        var ended = await api.WaitForJobAsync(job, j => (string?)j["status"] != "STARTED" && (string?)j["status"] != "PENDING", Timeout, host.ToString);
        var runs = await api.JobRunsAsync(job);
        Assert.Equal(("SUCCESS", 1L, 1L), ((string?)ended["status"], (long)ended["runs"]!, (long)ended["ticks"]!));
        var recorded = Assert.Single(JobApi.Ticks(ended));
        Assert.Equal([(string)Assert.Single(runs)["id"]!], recorded["run_ids"]!.AsArray().Select(r => (string)r!));
        Assert.Contains("its StartJobTick call got the result of tick trigger:another", host.Output, StringComparison.Ordinal);
    }

    /// <summary>The call to <paramref name="name"/> of the orchestration's current execution that has no result yet, once checkpointed.</summary>
    private static TableEntity? PendingCall(IReadOnlyList<TableEntity> history, string name)
    {
        var calls = history.Where(e => e.GetString("EventType") == nameof(EventType.TaskScheduled) && e.GetString("Name") == name).ToList();
        return calls.FirstOrDefault(c => !history.Any(r => r.GetString("EventType") == nameof(EventType.TaskCompleted)
            && r.GetString("ExecutionId") == c.GetString("ExecutionId") && r.GetInt32("TaskScheduledId") == c.GetInt32("EventId")));
    }

    /// <summary>Whether the execution of <paramref name="call"/> called <paramref name="name"/> again after it.</summary>
    private static bool CallsAfter(IReadOnlyList<TableEntity> history, TableEntity call, string name) =>
        history.Any(e => e.GetString("EventType") == nameof(EventType.TaskScheduled) && e.GetString("Name") == name
            && e.GetString("ExecutionId") == call.GetString("ExecutionId") && e.GetInt32("EventId") > call.GetInt32("EventId"));

    /// <summary>
    /// The step call still pending (Slow's: the history keeps no call inputs, but Quick's is done) and the result of
    /// the other, once checkpointed in the run's history.
    /// </summary>
    private static async Task<(TableEntity Scheduled, TableEntity Completed)?> CallsAsync(ServedTestbed bed, string run)
    {
        var history = await bed.Storage.HistoryAsync(run);
        var calls = history.Where(e => e.GetString("EventType") == nameof(EventType.TaskScheduled) && e.GetString("Name") == "RunStep").ToList();
        var results = history.Where(e => e.GetString("EventType") == nameof(EventType.TaskCompleted)).ToList();
        var pending = calls.Where(c => !results.Any(r => r.GetInt32("TaskScheduledId") == c.GetInt32("EventId"))).ToList();
        return calls.Count == 2 && pending.Count == 1 && results.Count == 1 ? (pending[0], results[0]) : null;
    }

    /// <summary>Sends <paramref name="message"/> to the execution of the orchestration that <paramref name="row"/> (a history row) belongs to.</summary>
    private static async Task SendAsync(ServedTestbed bed, string instance, TableEntity row, HistoryEvent message)
    {
        await bed.TaskHubService().SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instance, ExecutionId = row.GetString("ExecutionId") },
            Event = message,
        });
    }
}
