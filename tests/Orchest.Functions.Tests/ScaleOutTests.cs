using System.Text.Json.Nodes;
using Orchest.Engine.Runs;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>Several real host processes on one storage account share the steps of a run.</summary>
[Collection(ServedCollection.Name)]
public sealed class ScaleOutTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_TwoHostsOfThreeSlots_SixParallelStepsRunThreeOnEach()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("share");
        for (var i = 1; i <= 6; i++)
        {
            pipeline.Step($"P{i}", "barrier.sh", Scripts.Barrier);
        }

        using var origin = ServedTestbed.Repository(pipeline);
        var hosts = await bed.StartHostsAsync(
            ("a", "api,worker,timers", ["--Orchest:Engine:HostParallelism=3"]),
            ("b", "worker", ["--Orchest:Engine:HostParallelism=3"]));
        using var api = bed.Api(hosts[0]);
        var project = await api.CreateProjectAsync("share-" + bed.Prefix, origin.Root);
        var runId = (string)(await api.CreateRunAsync(project, new JsonObject
        {
            ["env"] = new JsonObject { ["BARRIER_DIR"] = bed.Folder("barrier"), ["BARRIER_SIZE"] = "6" },
        }))["id"]!;

        var run = await api.WaitForEndAsync(runId, RunTimeout, () => string.Join("\n", hosts.Select(h => h.ToString())));

        // Six steps at once need both hosts' three slots: each host ran exactly three.
        Assert.Equal("SUCCESS", (string?)run["status"]);
        Assert.All(run["steps"]!.AsArray(), s => Assert.Equal(("SUCCESS", 1), ((string?)s!["status"], (int)s["attempt"]!)));
        var onA = Ran(bed.DataDirectory("a"));
        var onB = Ran(bed.DataDirectory("b"));
        Assert.Equal((3, 3), (onA.Count, onB.Count));
        Assert.Equal(run["steps"]!.AsArray().Select(s => (string)s!["uuid"]!).Order(), onA.Concat(onB).Order());
    }

    [Fact]
    public async Task Run_TwentySiblingsFinishingAtOnceOnTwoHosts_StartTheirJoinExactlyOnce()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("join");
        var siblings = Enumerable.Range(1, 20).Select(i => $"S{i:00}").ToArray();
        foreach (var sibling in siblings)
        {
            pipeline.Step(sibling, "barrier.sh", Scripts.Barrier);
        }

        pipeline.Step("Join", "join.sh", Scripts.CountingJoin, siblings);
        using var origin = ServedTestbed.Repository(pipeline);
        var hosts = await bed.StartHostsAsync(
            ("a", "api,worker,timers", ["--Orchest:Engine:HostParallelism=10"]),
            ("b", "worker,timers", ["--Orchest:Engine:HostParallelism=10"]));
        using var api = bed.Api(hosts[0]);
        var project = await api.CreateProjectAsync("join-" + bed.Prefix, origin.Root);
        var joinLog = Path.Combine(bed.Folder("join"), "join.log");
        var runId = (string)(await api.CreateRunAsync(project, new JsonObject
        {
            ["env"] = new JsonObject { ["BARRIER_DIR"] = bed.Folder("barrier"), ["BARRIER_SIZE"] = "20", ["JOIN_LOG"] = joinLog },
        }))["id"]!;

        var run = await api.WaitForEndAsync(runId, RunTimeout, () => string.Join("\n", hosts.Select(h => h.ToString())));

        Assert.Equal("SUCCESS", (string?)run["status"]);
        Assert.Equal((10, 10), (Ran(bed.DataDirectory("a")).Count, Ran(bed.DataDirectory("b")).Count));
        var join = ApiClient.Step(run, "Join");
        Assert.Equal(("SUCCESS", 1), ((string?)join["status"], (int)join["attempt"]!));
        Assert.Single(File.ReadAllLines(joinLog));

        var events = await bed.Storage.Runs().GetEventsAsync(runId);
        var joinUuid = pipeline.StepUuid("Join");
        Assert.Single(events, e => e.Type == RunEventTypes.StepStarted && e.StepUuid == joinUuid);
        Assert.All(run["steps"]!.AsArray(), s =>
            Assert.Single(events, e => e.Type == RunEventTypes.StepSucceeded && e.StepUuid == (string)s!["uuid"]!));
        Assert.Single(events, e => e.Type == RunEventTypes.RunSucceeded);
    }

    [Fact]
    public async Task Run_CreatedOnAnApiOnlyHost_IsRunByAWorkerHostWithoutWaitingForALease()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("handover").Shell("Only");
        using var origin = ServedTestbed.Repository(pipeline);

        // Long visibility timeouts: a message taken by the api host and dropped would wait a minute.
        string[] slow = ["--Orchest:TaskHub:WorkItemVisibilityTimeout=00:01:00", "--Orchest:TaskHub:ControlQueueVisibilityTimeout=00:01:00"];
        var hosts = await bed.StartHostsAsync(("api", "api", slow), ("worker", "worker", slow));
        using var api = bed.Api(hosts[0]);
        var project = await api.CreateProjectAsync("handover-" + bed.Prefix, origin.Root);
        var runId = (string)(await api.CreateRunAsync(project, new JsonObject()))["id"]!;

        var run = await api.WaitForEndAsync(runId, TimeSpan.FromSeconds(30), () => string.Join("\n", hosts.Select(h => h.ToString())));

        Assert.Equal("SUCCESS", (string?)run["status"]);
        Assert.Contains("Only ran", await api.Http.GetStringAsync($"api/runs/{runId}/steps/{pipeline.StepUuid("Only")}/logs"), StringComparison.Ordinal);
    }

    /// <summary>Step uuids whose barrier script left a marker in this data folder.</summary>
    private static List<string> Ran(string dataDirectory) =>
        Directory.Exists(dataDirectory)
            ? Directory.EnumerateFiles(dataDirectory, "ran-*").Select(f => Path.GetFileName(f)["ran-".Length..]).ToList()
            : [];
}
