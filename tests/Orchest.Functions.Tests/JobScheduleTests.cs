using System.Globalization;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// A cron job on several real hosts: each tick starts exactly one run per parameter set, whichever host
/// fires it, and a host killed while it schedules the job loses no tick and doubles none.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class JobScheduleTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Cron_EveryTwoSecondsThreeSetsTwoHosts_ThreeRunsPerTickWithTheirParametersAcrossAKill()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("ticks");
        pipeline.Parameters["n"] = 0;
        pipeline.Step("Echo", "echo.py", Scripts.ParameterEcho, parameters: new JsonObject { ["word"] = "default" });
        using var origin = ServedTestbed.Repository(pipeline);
        var hosts = await bed.StartHostsAsync(("a", "api,worker,timers", []), ("b", "api,worker", []));
        var results = bed.Folder("results");
        var api = bed.Api(hosts[0]);
        var project = await api.CreateProjectAsync("ticks-" + bed.Prefix, origin.Root);

        // Orchest's job parameters: each set replaces the pipeline's parameters and the named step's.
        var job = await api.CreateJobAsync(project, new JsonObject
        {
            ["name"] = "every two seconds",
            ["cron"] = "*/2 * * * * *",
            ["parameters"] = JsonNode.Parse("""
                [{"pipeline_parameters": {"n": 1}, "Echo": {"word": "one"}},
                 {"pipeline_parameters": {"n": 2}},
                 {"Echo": {"word": "three"}}]
                """),
            ["env"] = new JsonObject { ["RESULTS_DIR"] = results },
        });
        var jobId = (string)job["id"]!;
        Assert.Equal(("STARTED", "every two seconds", "main.orchest"), ((string?)job["status"], (string?)job["name"], (string?)job["pipeline"]));
        Assert.Equal(["RESULTS_DIR"], job["env"]!.AsArray().Select(e => (string)e!));

        // After a few ticks, the host that schedules the job dies (its log says which one fires the ticks).
        var seen = await api.WaitForJobAsync(jobId, j => (long)j["ticks"]! >= 3, Timeout, () => Describe(hosts));
        var scheduler = hosts.MaxBy(h => LastTick(h, jobId))!;
        var survivor = hosts.Single(h => h != scheduler);
        await scheduler.KillAsync();
        output.WriteLine($"killed {scheduler.Name} after tick {(long)seen["ticks"]!} at {DateTime.UtcNow:HH:mm:ss.fff}");
        api.Dispose();
        api = bed.Api(survivor);
        var killedAt = DateTimeOffset.UtcNow;

        var late = await api.WaitForJobAsync(jobId, j => (long)j["ticks"]! >= (long)seen["ticks"]! + 5, Timeout, () => Describe(hosts));
        var paused = await api.CommandAsync(jobId, "pause");
        Assert.Equal("PAUSED", (string?)paused["status"]);
        var runs = await WaitForRunsToEndAsync(api, jobId);
        var history = await api.GetJobAsync(jobId);
        var ticks = JobApi.Ticks(history);

        // No tick lost, none doubled: ticks every two seconds without a gap, each with three runs, across the kill.
        var scheduled = ticks.Select(t => (DateTimeOffset)t["scheduled_for"]!).ToList();
        Assert.True(ticks.Count >= 8, $"only {ticks.Count} ticks: {history.ToJsonString()}");
        Assert.All(scheduled, s => Assert.Equal(0, s.Second % 2));
        Assert.All(scheduled.Zip(scheduled.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(2), pair.Second - pair.First));
        Assert.Equal(Enumerable.Range(1, ticks.Count).Select(i => (long)i), ticks.Select(t => (long)t["sequence"]!));
        Assert.All(ticks, t => Assert.Equal(3, t["run_ids"]!.AsArray().Count));
        Assert.Equal(3 * ticks.Count, runs.Count);
        Assert.Equal(runs.Count, runs.Select(r => (string)r["id"]!).Distinct().Count());
        Assert.Equal(
            ticks.SelectMany(t => t["run_ids"]!.AsArray().Select(r => (string)r!)).Order(),
            runs.Select(r => (string)r["id"]!).Order());

        // Each run ran with its set, as its step printed it.
        string[] expected = ["n=1 word=one", "n=2 word=default", "n=None word=three"];
        foreach (var run in runs)
        {
            Assert.Equal(("SUCCESS", jobId), ((string?)run["status"], (string?)run["job_id"]));
            var index = (int)run["job_run_index"]!;
            // Not the .tmp a killed attempt may leave (the step writes a .tmp and renames it when whole).
            var printed = Directory.GetFiles(results, $"{(string)run["id"]!}-*")
                .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
                .Select(File.ReadAllText)
                .ToList();
            Assert.NotEmpty(printed);
            Assert.All(printed, line => Assert.EndsWith(expected[index], line, StringComparison.Ordinal));
        }

        Assert.Equal(
            """{"pipeline_parameters":{"n":1},""" + $"\"{pipeline.StepUuid("Echo")}\":" + """{"word":"one"}}""",
            runs.First(r => (int)r["job_run_index"]! == 0)["job_parameters"]!.ToJsonString());
        var log = await api.Http.GetStringAsync($"api/runs/{(string)runs[0]["id"]!}/steps/Echo/logs");
        Assert.Contains($"run={(string)runs[0]["id"]!} ", log, StringComparison.Ordinal);

        Report(ticks, runs, killedAt);
    }

    [Fact]
    public async Task Cron_EveryHostDownLongerThanTheMisfireThreshold_RunsOnceForTheMissedTicksAndCountsThem()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("outage").Shell("Quick");
        using var origin = ServedTestbed.Repository(pipeline);
        string[] threshold = ["--Orchest:Jobs:MisfireThreshold=00:00:02"];
        var first = await bed.StartHostAsync("a", "api,worker,timers", threshold);
        string project, job;
        using (var api = bed.Api(first))
        {
            project = await api.CreateProjectAsync("outage-" + bed.Prefix, origin.Root);
            job = (string)(await api.CreateJobAsync(project, new JsonObject { ["cron"] = "* * * * * *" }))["id"]!;
            await api.WaitForJobAsync(job, j => (long)j["ticks"]! >= 2, Timeout, first.ToString);
        }

        // Every host down for longer than the threshold: the ticks meanwhile were missed.
        await first.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        var second = await bed.StartHostAsync("b", "api,worker,timers", threshold);
        using var again = bed.Api(second);
        var caughtUp = await again.WaitForJobAsync(job, j => (long)j["skipped_ticks"]! > 0 && JobApi.Ticks(j).Count >= 4, Timeout, second.ToString);

        // A job busy with a tick every second still takes its commands.
        Assert.Equal("PAUSED", (string?)(await again.CommandAsync(job, "pause"))["status"]);

        // Latest (the default): the missed ticks are counted in the history entry that follows them, and every
        // tick is accounted for once: run (one run each) or counted as skipped.
        var history = (await again.GetJobAsync(job))["history"]!.AsArray().Select(t => t!.AsObject()).Reverse().ToList();
        var skipped = Assert.Single(history, t => (long)t["skipped"]! > 0);
        Assert.True((long)skipped["skipped"]! >= 3, skipped.ToJsonString());
        Assert.Equal((long)skipped["skipped"]!, (long)caughtUp["skipped_ticks"]!);
        Assert.All(history, t => Assert.Single(t["run_ids"]!.AsArray()));
        Assert.All(history.Zip(history.Skip(1)), pair => Assert.Equal(
            TimeSpan.FromSeconds((long)pair.Second["skipped"]! + 1),
            (DateTimeOffset)pair.Second["scheduled_for"]! - (DateTimeOffset)pair.First["scheduled_for"]!));
    }

    private static async Task<List<JsonObject>> WaitForRunsToEndAsync(ApiClient api, string jobId)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var runs = await api.JobRunsAsync(jobId);
            if (runs.All(r => ApiClient.IsTerminal((string?)r["status"])) || DateTime.UtcNow > deadline)
            {
                return runs;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Tick precision (scheduled vs its runs started being created), for the record; tests never assert timings.</summary>
    private void Report(List<JsonObject> ticks, List<JsonObject> runs, DateTimeOffset killedAt)
    {
        var created = runs.GroupBy(r => (long)r["job_tick"]!).ToDictionary(g => g.Key, g => g.Min(r => (DateTimeOffset)r["created"]!));
        var lateness = ticks.Select(t => (
                Late: (created[(long)t["sequence"]!] - (DateTimeOffset)t["scheduled_for"]!).TotalMilliseconds,
                AfterKill: (DateTimeOffset)t["scheduled_for"]! > killedAt.AddSeconds(-2)))
            .ToList();
        foreach (var group in lateness.GroupBy(l => l.AfterKill))
        {
            var sorted = group.Select(l => l.Late).Order().ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tick lateness {(group.Key ? "after the kill" : "before the kill")}: n={sorted.Count} p50={sorted[sorted.Count / 2]:0} ms p95={sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1]:0} ms max={sorted[^1]:0} ms"));
        }
    }

    /// <summary>The latest tick of the job this host's log says it fired (its orchestration logs each tick where it runs).</summary>
    private static long LastTick(OrchestServeProcess host, string jobId)
    {
        var marker = $"Job {jobId} tick ";
        return host.Output.Split('\n')
            .Select(line => line.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0 ? line[(at + marker.Length)..].Split(' ')[0] : null)
            .Select(seq => long.TryParse(seq, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
    }

    private static string Describe(IEnumerable<OrchestServeProcess> hosts) => string.Join("\n", hosts.Select(h => h.ToString()));
}
