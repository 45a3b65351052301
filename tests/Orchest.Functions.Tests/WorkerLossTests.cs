using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Orchest.Engine.Runs;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// Hosts die; runs do not. A killed host's step activity reappears after its visibility timeout and runs
/// again as the next attempt on another host; its orchestration partitions move when their lease expires.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class WorkerLossTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_HostKilledMidStep_AnotherHostFinishesItWithOneCommittedResultPerStep()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("crash")
            .Step("Produce", "produce.py", Scripts.HeldProducer)
            .Step("Consume", "consume.py", Scripts.TokenReader, ["Produce"]);
        using var origin = ServedTestbed.Repository(pipeline);
        var hosts = await bed.StartHostsAsync(("a", "api,worker", []), ("b", "api,worker,timers", []));
        var shared = bed.Folder("shared");
        string runId;
        using (var api = bed.Api(hosts[0]))
        {
            var project = await api.CreateProjectAsync("crash-" + bed.Prefix, origin.Root);
            runId = (string)(await api.CreateRunAsync(project, new JsonObject { ["env"] = new JsonObject { ["SHARED_DIR"] = shared } }))["id"]!;
        }

        // Whichever host took attempt 1 dies with it: the host and the step it ran (which, in its own
        // process group, would outlive it).
        var started = Path.Combine(shared, "started-1");
        await Wait.UntilAsync(() => File.Exists(started), RunTimeout, () => $"attempt 1 to start\n{hosts[0]}\n{hosts[1]}");
        var (dead, survivor) = File.Exists(Path.Combine(bed.DataDirectory("a"), "held-1")) ? (hosts[0], hosts[1]) : (hosts[1], hosts[0]);

        // In the bubblewrap sandbox the step dies with its host (its group leader is outside the step's pid
        // namespace, so it reads group 0); unsandboxed, its own process group would outlive the host and is
        // killed here.
        var group = int.Parse(await File.ReadAllTextAsync(started), CultureInfo.InvariantCulture);
        if (group != 0)
        {
            Assert.Contains("produce.py", await File.ReadAllTextAsync($"/proc/{group}/cmdline"), StringComparison.Ordinal);
        }

        await dead.KillAsync();
        if (group != 0)
        {
            await OrchestServeProcess.SignalAsync(-group, "KILL");
        }
        await File.WriteAllTextAsync(Path.Combine(shared, "release"), "");

        using var apiSurvivor = bed.Api(survivor);
        var run = await apiSurvivor.WaitForEndAsync(runId, RunTimeout, survivor.ToString);

        Assert.Equal("SUCCESS", (string?)run["status"]);
        var produce = ApiClient.Step(run, "Produce");
        Assert.Equal(("SUCCESS", 2), ((string?)produce["status"], (int)produce["attempt"]!));
        Assert.Equal(("SUCCESS", 1), ((string?)ApiClient.Step(run, "Consume")["status"], (int)ApiClient.Step(run, "Consume")["attempt"]!));
        Assert.True(File.Exists(Path.Combine(bed.DataDirectory(survivor.Name), "held-2")), "attempt 2 should run on the surviving host");

        // The loss and the retry are recorded; each step succeeded once.
        var events = await bed.Storage.Runs().GetEventsAsync(runId);
        var produceUuid = pipeline.StepUuid("Produce");
        var lost = Assert.Single(events, e => e.Type == RunEventTypes.StepWorkerLost);
        Assert.Equal((produceUuid, 1), (lost.StepUuid, lost.Attempt));
        Assert.Contains($"host {dead.Name}", lost.Message, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Type == RunEventTypes.StepRetrying && e.StepUuid == produceUuid && e.Attempt == 2);
        foreach (var title in new[] { "Produce", "Consume" })
        {
            Assert.Single(events, e => e.Type == RunEventTypes.StepSucceeded && e.StepUuid == pipeline.StepUuid(title));
        }

        // One committed output set per step; the child read the committed attempt's token.
        var snapshot = (await bed.Storage.Runs().GetAsync(runId))!;
        Assert.Equal($"{runId}-2", snapshot.GetStep(produceUuid).OutputSet);
        Assert.Equal($"{runId}-1", snapshot.GetStep(pipeline.StepUuid("Consume")).OutputSet);
        var token = await OutputTextAsync(apiSurvivor, runId, produceUuid, "token");
        Assert.StartsWith("\"attempt 2 ", token, StringComparison.Ordinal);
        Assert.Equal(token, await OutputTextAsync(apiSurvivor, runId, pipeline.StepUuid("Consume"), "seen"));
        var blobs = await bed.Storage.AllBlobsAsync();
        Assert.DoesNotContain(blobs, blob => blob.Name.Contains($"/{runId}-1/", StringComparison.Ordinal) && blob.Name.Contains(produceUuid, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_EveryHostKilled_AHostStartedLaterFinishesIt()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("outage")
            .Step("Produce", "produce.py", Scripts.HeldProducer)
            .Step("Consume", "consume.py", Scripts.TokenReader, ["Produce"]);
        using var origin = ServedTestbed.Repository(pipeline);
        var first = await bed.StartHostAsync("first", "api,worker,timers");
        var shared = bed.Folder("shared");
        string runId;
        using (var api = bed.Api(first))
        {
            var project = await api.CreateProjectAsync("outage-" + bed.Prefix, origin.Root);
            runId = (string)(await api.CreateRunAsync(project, new JsonObject { ["env"] = new JsonObject { ["SHARED_DIR"] = shared } }))["id"]!;
        }

        var started = Path.Combine(shared, "started-1");
        await Wait.UntilAsync(() => File.Exists(started), RunTimeout, first.ToString);
        await first.KillAsync();

        // Sandboxed, the step died with its host (it reads its group as 0: the leader is outside its pid
        // namespace); unsandboxed, its own process group outlives the host and is killed here.
        var group = int.Parse(await File.ReadAllTextAsync(started), CultureInfo.InvariantCulture);
        if (group != 0)
        {
            await OrchestServeProcess.SignalAsync(-group, "KILL");
        }

        await File.WriteAllTextAsync(Path.Combine(shared, "release"), "");

        var later = await bed.StartHostAsync("later", "api,worker,timers");
        using var apiLater = bed.Api(later);
        var run = await apiLater.WaitForEndAsync(runId, RunTimeout, later.ToString);

        Assert.Equal("SUCCESS", (string?)run["status"]);
        Assert.Equal(("SUCCESS", 2), ((string?)ApiClient.Step(run, "Produce")["status"], (int)ApiClient.Step(run, "Produce")["attempt"]!));
        Assert.True(File.Exists(Path.Combine(bed.DataDirectory("later"), "held-2")), "attempt 2 should run on the later host");
        Assert.StartsWith("\"attempt 2 ", await OutputTextAsync(apiLater, runId, pipeline.StepUuid("Consume"), "seen"), StringComparison.Ordinal);
    }

    private static async Task<string> OutputTextAsync(ApiClient api, string runId, string step, string name)
    {
        var (status, type, content) = await api.GetBytesAsync($"api/runs/{runId}/steps/{step}/outputs/{name}");
        Assert.Equal((System.Net.HttpStatusCode.OK, "application/json"), (status, type));
        return Encoding.UTF8.GetString(content);
    }
}
