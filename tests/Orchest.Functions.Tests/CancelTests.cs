using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>DELETE /api/runs/{run} stops the run's steps on every host.</summary>
[Collection(ServedCollection.Name)]
public sealed class CancelTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan StopPollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan KillGracePeriod = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Cancel_StepsRunningOnTwoHosts_EveryStepProcessStopsAndTheRunEndsAborted()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("cancel");
        for (var i = 1; i <= 4; i++)
        {
            pipeline.Step($"L{i}", "long.sh", Scripts.LongRunning);
        }

        using var origin = ServedTestbed.Repository(pipeline);
        var hosts = await bed.StartHostsAsync(
            ("a", "api,worker,timers", ["--Orchest:Engine:HostParallelism=2"]),
            ("b", "worker", ["--Orchest:Engine:HostParallelism=2"]));
        using var api = bed.Api(hosts[0]);
        var marker = "orchest-cancel-" + bed.Prefix;
        try
        {
            await CancelAndCheckAsync(bed, api, hosts, origin, marker);
        }
        finally
        {
            // Whatever the product failed to stop must not outlive the test.
            foreach (var pid in ProcessTable.FindByMarker(marker))
            {
                await OrchestServeProcess.SignalAsync(pid, "KILL");
            }
        }
    }

    private async Task CancelAndCheckAsync(ServedTestbed bed, ApiClient api, OrchestServeProcess[] hosts, GitOrigin origin, string marker)
    {
        var project = await api.CreateProjectAsync("cancel-" + bed.Prefix, origin.Root);
        var runId = (string)(await api.CreateRunAsync(project, new JsonObject { ["env"] = new JsonObject { ["MARKER"] = marker } }))["id"]!;
        await Wait.UntilAsync(
            () => ProcessTable.FindByMarker(marker).Count == 4, TimeSpan.FromSeconds(60),
            () => $"4 step processes (found {ProcessTable.FindByMarker(marker).Count})\n{hosts[0]}\n{hosts[1]}");
        Assert.Equal((2, 2), (Running(bed.DataDirectory("a")), Running(bed.DataDirectory("b"))));

        var clock = Stopwatch.StartNew();
        var (status, body, _) = await api.SendAsync(HttpMethod.Delete, $"api/runs/{runId}");

        // 200 with the ended run when it ends within the request's wait (10 s), else 202 and it ends later:
        // which one depends on the machine's load, so both are accepted and the run is read once it ended.
        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted });
        if (status == HttpStatusCode.Accepted)
        {
            body = await api.WaitForEndAsync(runId, TimeSpan.FromMinutes(2), () => "the cancelled run to end");
        }

        Assert.Equal("ABORTED", (string?)body!["status"]);
        Assert.NotNull(body["finished"]);
        Assert.All(body["steps"]!.AsArray(), s => Assert.Equal("ABORTED", (string?)s!["status"]));

        // Each host learns it at its next look at the runs of its steps, then TERM (KILL after the grace period).
        var survivors = await ProcessTable.WaitGoneAsync(marker, (2 * StopPollInterval) + KillGracePeriod + TimeSpan.FromSeconds(5));
        output.WriteLine($"every step process gone {clock.ElapsedMilliseconds} ms after the cancel");
        Assert.Empty(survivors);

        var run = await api.GetRunAsync(runId);
        Assert.Equal("ABORTED", (string?)run["status"]);
        Assert.NotNull(run["finished"]);
        Assert.All(run["steps"]!.AsArray(), s => Assert.Equal(("ABORTED", true), ((string?)s!["status"], s["finished"] is not null)));

        var (again, problem, _) = await api.SendAsync(HttpMethod.Delete, $"api/runs/{runId}");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal($"Run {runId} already ended (ABORTED).", (string?)problem!["detail"]);
        Assert.False(hosts[1].HasExited, "host b must survive the cancel of its steps");
    }

    /// <summary>
    /// The cancel's event can be lost (Durable Task on Azure Storage discards an event that reaches a moving
    /// partition before the run's start, as the chaos check found): the cancel row alone must still end the run.
    /// </summary>
    [Fact]
    public async Task CancelRowWithoutTheCancelEvent_TheStoppedStepCarriesTheCancel_TheRunEndsAborted()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("lost-cancel").Step("Long", "long.sh", Scripts.LongRunning).Shell("After", "Long");
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("a", "api,worker,timers");
        using var api = bed.Api(host);
        var marker = "orchest-lost-cancel-" + bed.Prefix;
        try
        {
            var project = await api.CreateProjectAsync("lost-cancel-" + bed.Prefix, origin.Root);
            var runId = (string)(await api.CreateRunAsync(project, new JsonObject { ["env"] = new JsonObject { ["MARKER"] = marker } }))["id"]!;
            await Wait.UntilAsync(() => ProcessTable.FindByMarker(marker).Count == 1, TimeSpan.FromSeconds(60), host.ToString);

            // What DELETE /api/runs/{id} writes first, without the event it raises next.
            await bed.Storage.Runs().RequestCancelAsync(runId);

            var ended = await api.WaitForEndAsync(runId, TimeSpan.FromMinutes(2), host.ToString);
            Assert.Equal("ABORTED", (string?)ended["status"]);
            Assert.All(ended["steps"]!.AsArray(), s => Assert.Equal("ABORTED", (string?)s!["status"]));
            Assert.Empty(await ProcessTable.WaitGoneAsync(marker, TimeSpan.FromSeconds(10)));
            var events = await api.SendAsync(HttpMethod.Get, $"api/runs/{runId}/events");
            var cancelRequested = events.Body!["events"]!.AsArray().Single(e => (string?)e!["kind"] == "run.cancel_requested")!;
            Assert.Contains("was stopped for the cancel before the cancel reached the run", (string?)cancelRequested["message"], StringComparison.Ordinal);
        }
        finally
        {
            foreach (var pid in ProcessTable.FindByMarker(marker))
            {
                await OrchestServeProcess.SignalAsync(pid, "KILL");
            }
        }
    }

    private static int Running(string dataDirectory) =>
        Directory.Exists(dataDirectory) ? Directory.EnumerateFiles(dataDirectory, "long-*").Count() : 0;
}
