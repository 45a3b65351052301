using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// The run event stream (Server-Sent Events): a client connected before the run starts sees every event
/// in order and a notice of each step while it runs; a client resuming with Last-Event-ID gets exactly
/// what it missed.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class EventStreamTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Stream_FromBeforeTheStartAndResumed_DeliversEveryEventInOrderOnce()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("streamed")
            .Step("Slow", "slow.sh", "sleep 2\necho slow done\n")
            .Step("Left", "left.sh", "echo left\n", ["Slow"])
            .Step("Right", "right.sh", "echo right\n", ["Slow"])
            .Step("Join", "join.sh", "echo join\n", ["Left", "Right"]);
        using var origin = ServedTestbed.Repository(pipeline);

        // An api-only host: the run is created but cannot start until a worker comes.
        var front = await bed.StartHostAsync("front", "api", WebhookSetup.HostSettings());
        using var api = bed.Api(front);
        var project = await api.CreateProjectAsync("stream-" + bed.Prefix, origin.Root);
        var runId = (string)(await api.CreateRunAsync(project, new JsonObject()))["id"]!;
        await using var early = await EventStreamClient.OpenAsync(api.Http, runId);
        var created = await early.ReadUntilAsync(e => e.IsRunEvent, Timeout);
        Assert.Equal("run.created", (string?)created[^1].Json["kind"]);

        await bed.StartHostAsync("worker", "worker", WebhookSetup.HostSettings());

        // A second client leaves after the first step's end and comes back once the run is over.
        string lastSeen;
        List<StreamedEvent> beforeLeaving;
        await using (var leaving = await EventStreamClient.OpenAsync(api.Http, runId))
        {
            beforeLeaving = await leaving.ReadUntilAsync(e => e.IsRunEvent && (string?)e.Json["kind"] == "step.succeeded", Timeout);
            lastSeen = beforeLeaving.Last(e => e.IsRunEvent).Id!;
        }

        var everything = await early.ReadToEndAsync(Timeout);
        await api.WaitForEndAsync(runId, Timeout, front.ToString);
        await using var back = await EventStreamClient.OpenAsync(api.Http, runId, lastSeen);
        var missed = await back.ReadToEndAsync(Timeout);

        // Every event of the run, in order, as GET /api/runs/{run}/events lists them.
        var (_, listed, _) = await api.SendAsync(HttpMethod.Get, $"api/runs/{runId}/events");
        var all = listed!["events"]!.AsArray().Select(e => (string)e!["id"]!).ToList();
        var streamed = early.Received.Where(e => e.IsRunEvent).ToList();
        Assert.Equal(all, streamed.Select(e => e.Id));
        Assert.Equal(Enumerable.Range(0, all.Count).Select(i => (long)i), streamed.Select(e => (long)e.Json["sequence"]!));
        Assert.Equal("end", everything[^1].Event);
        Assert.Equal("SUCCESS", (string?)everything[^1].Json["status"]);
        foreach (var title in new[] { "Slow", "Left", "Right", "Join" })
        {
            var kinds = streamed.Where(e => (string?)e.Json["step_title"] == title).Select(e => (string)e.Json["kind"]!).ToList();
            Assert.Equal(["step.started", "step.succeeded"], kinds);
        }

        // The slow step showed as running before its step.started event existed (decided with its outcome).
        var running = Assert.Single(early.Received, e => e.Event == "step-running" && (string?)e.Json["step_title"] == "Slow");
        Assert.Null(running.Id);
        Assert.Equal((1, "worker"), ((int)running.Json["attempt"]!, (string?)running.Json["host"]));
        var slowStarted = streamed.Single(e => (string?)e.Json["step_title"] == "Slow" && (string?)e.Json["kind"] == "step.started");
        Assert.True(early.Received.IndexOf(running) < early.Received.IndexOf(slowStarted));

        // Resumed: only what the client missed, nothing twice.
        var resumed = missed.Where(e => e.IsRunEvent).Select(e => e.Id!).ToList();
        Assert.Equal(all.SkipWhile(id => id != lastSeen).Skip(1), resumed);
        Assert.Equal(all, beforeLeaving.Where(e => e.IsRunEvent).Select(e => e.Id!).Concat(resumed));
        Assert.Equal("end", missed[^1].Event);

        // orchest follow, the CLI's client of the stream: the ended run's whole history, then its status.
        var (exit, printed, said) = await FollowAsync(front, bed.ApiKey, runId);
        Assert.True(exit == 0, said);
        var lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(all.Count, lines.Count(l => !l.Contains("step.running", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("step.succeeded", StringComparison.Ordinal) && l.Contains("\"Join\" attempt 1", StringComparison.Ordinal));
        Assert.Contains($"Run {runId} ended SUCCESS.", said, StringComparison.Ordinal);

        var lags = streamed.Where(e => (string?)e.Json["kind"] is "step.succeeded" or "run.succeeded")
            .Select(e => (e.At - (DateTimeOffset)e.Json["time"]!).TotalMilliseconds).Order().ToList();
        output.WriteLine($"stream lag (event time to client) over {lags.Count} events: median {lags[lags.Count / 2]:0} ms, max {lags[^1]:0} ms");
    }

    private static async Task<(int Exit, string Output, string Error)> FollowAsync(OrchestServeProcess host, string apiKey, string runId)
    {
        var start = new ProcessStartInfo(OrchestBinary.Path, ["follow", runId, "--server", host.BaseAddress.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ORCHEST_API_KEY"] = apiKey;
        start.Environment["NO_COLOR"] = "1";
        using var follow = Process.Start(start)!;
        var output = follow.StandardOutput.ReadToEndAsync();
        var error = follow.StandardError.ReadToEndAsync();
        await follow.WaitForExitAsync().WaitAsync(Timeout);
        return (follow.ExitCode, await output, await error);
    }
}
