using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Orchest.Engine.Runs;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>Hosts die; runs do not: a killed worker's step is taken over, a lost queue message is repaired.</summary>
[Collection(ServedCollection.Name)]
public sealed class WorkerLossTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_WorkerKilledMidStep_AnotherHostFinishesItWithOneCommittedResultPerStep()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("crash")
            .Step("Produce", "produce.py", Scripts.HeldProducer)
            .Step("Consume", "consume.py", Scripts.TokenReader, ["Produce"]);
        using var origin = ServedTestbed.Repository(pipeline);

        // A creates the run and takes its first step (its own ready step, on the fast path); B has the reconciler.
        var hosts = await bed.StartHostsAsync(
            ("a", "api,worker", ["--Orchest:Engine:LeaseDuration=00:00:06"]),
            ("b", "api,worker,timers", []));
        var (a, b) = (hosts[0], hosts[1]);
        using var apiA = bed.Api(a);
        using var apiB = bed.Api(b);
        var shared = bed.Folder("shared");
        var project = await apiA.CreateProjectAsync("crash-" + bed.Prefix, origin.Root);
        var runId = (string)(await apiA.CreateRunAsync(project, new JsonObject { ["env"] = new JsonObject { ["SHARED_DIR"] = shared } }))["id"]!;

        var started = Path.Combine(shared, "started-1");
        await Wait.UntilAsync(() => File.Exists(started), RunTimeout, () => $"attempt 1 to start on host a\n{a}\n{b}");
        Assert.True(File.Exists(Path.Combine(bed.DataDirectory("a"), "held-1")), "attempt 1 should run on host a");

        // The machine of host a dies: the host and the step it ran. In the bubblewrap sandbox the step dies
        // with its host (its group leader is outside the step's pid namespace, so it reads group 0);
        // unsandboxed, its own process group would outlive the host and is killed here.
        var group = int.Parse(await File.ReadAllTextAsync(started), CultureInfo.InvariantCulture);
        if (group != 0)
        {
            Assert.Contains("produce.py", await File.ReadAllTextAsync($"/proc/{group}/cmdline"), StringComparison.Ordinal);
        }

        await a.KillAsync();
        if (group != 0)
        {
            await OrchestServeProcess.SignalAsync(-group, "KILL");
        }
        await File.WriteAllTextAsync(Path.Combine(shared, "release"), "");

        var run = await apiB.WaitForEndAsync(runId, RunTimeout, b.ToString);

        Assert.Equal("SUCCESS", (string?)run["status"]);
        var produce = ApiClient.Step(run, "Produce");
        Assert.Equal(("SUCCESS", 2), ((string?)produce["status"], (int)produce["attempt"]!));
        Assert.Equal(("SUCCESS", 1), ((string?)ApiClient.Step(run, "Consume")["status"], (int)ApiClient.Step(run, "Consume")["attempt"]!));
        Assert.True(File.Exists(Path.Combine(bed.DataDirectory("b"), "held-2")), "attempt 2 should run on host b");

        // The loss and the retry are recorded; each step succeeded once.
        var events = await bed.Storage.RunStore().GetEventsAsync(runId);
        var produceUuid = pipeline.StepUuid("Produce");
        var lost = Assert.Single(events, e => e.Type == RunEventTypes.StepWorkerLost);
        Assert.Equal((produceUuid, 1), (lost.StepUuid, lost.Attempt));
        Assert.Contains("worker a", lost.Message, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Type == RunEventTypes.StepRetrying && e.StepUuid == produceUuid);
        foreach (var title in new[] { "Produce", "Consume" })
        {
            Assert.Single(events, e => e.Type == RunEventTypes.StepSucceeded && e.StepUuid == pipeline.StepUuid(title));
        }

        // One committed output set per step; the child read the committed attempt's token.
        var snapshot = (await bed.Storage.RunStore().GetAsync(runId))!;
        Assert.Equal($"{runId}-2", snapshot.GetStep(produceUuid).OutputSet);
        Assert.Equal($"{runId}-1", snapshot.GetStep(pipeline.StepUuid("Consume")).OutputSet);
        var token = await OutputTextAsync(apiB, runId, produceUuid, "token");
        Assert.StartsWith("\"attempt 2 ", token, StringComparison.Ordinal);
        Assert.Equal(token, await OutputTextAsync(apiB, runId, pipeline.StepUuid("Consume"), "seen"));
        var blobs = await bed.Storage.AllBlobsAsync();
        Assert.DoesNotContain(blobs, blob => blob.Name.Contains($"/{runId}-1/", StringComparison.Ordinal) && blob.Name.Contains(produceUuid, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconciler_ReadyStepWhoseQueueMessageWasLost_IsEnqueuedAgainAndTheRunFinishes()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("lost").Shell("First").Shell("Second", "First");
        using var origin = ServedTestbed.Repository(pipeline);
        var apiHost = await bed.StartHostAsync("api", "api");
        using var api = bed.Api(apiHost);
        var project = await api.CreateProjectAsync("lost-" + bed.Prefix, origin.Root);
        var runId = (string)(await api.CreateRunAsync(project, new JsonObject()))["id"]!;

        // The message of the ready first step is lost (as if the enqueue after the commit never happened).
        var queued = (await bed.Storage.StepsQueue.PeekMessagesAsync(32)).Value;
        Assert.Contains(queued, m => m.MessageText.Contains(pipeline.StepUuid("First"), StringComparison.Ordinal));
        await bed.Storage.StepsQueue.ClearMessagesAsync();
        Assert.Empty((await bed.Storage.StepsQueue.PeekMessagesAsync(32)).Value);

        var worker = await bed.StartHostAsync("worker", "worker,timers", "--Orchest:ReconcileStaleAfter=00:00:02");
        var run = await api.WaitForEndAsync(runId, RunTimeout, worker.ToString);

        Assert.Equal("SUCCESS", (string?)run["status"]);
        Assert.All(run["steps"]!.AsArray(), s => Assert.Equal(("SUCCESS", 1), ((string?)s!["status"], (int)s["attempt"]!)));
        Assert.Contains($"Run {runId} repaired by the reconciler", worker.Output, StringComparison.Ordinal);
    }

    private static async Task<string> OutputTextAsync(ApiClient api, string runId, string step, string name)
    {
        var (status, type, content) = await api.GetBytesAsync($"api/runs/{runId}/steps/{step}/outputs/{name}");
        Assert.Equal((System.Net.HttpStatusCode.OK, "application/json"), (status, type));
        return Encoding.UTF8.GetString(content);
    }
}
