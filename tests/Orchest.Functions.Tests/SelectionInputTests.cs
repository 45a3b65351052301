using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// A selection run's step whose parent is not in its run reads the parent's latest committed set, from an
/// earlier run; that set stays while the step goes, however many runs of the pipeline commit the parent meanwhile.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class SelectionInputTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Outputs "made by &lt;its run&gt;".</summary>
    private const string Producer =
        """
        import os

        import orchest

        orchest.output("made by " + os.environ["ORCHEST_RUN_UUID"], name="token")
        """;

    /// <summary>While $SHARED_DIR/hold exists, says it started and waits for $SHARED_DIR/release; then reads its input.</summary>
    private const string Reader =
        """
        import os
        import pathlib
        import time

        import orchest

        shared = pathlib.Path(os.environ["SHARED_DIR"])
        if (shared / "hold").exists():
            (shared / "reader-started").touch()
            deadline = time.time() + 120
            while not (shared / "release").exists():
                if time.time() > deadline:
                    raise SystemExit("never released")
                time.sleep(0.1)
        token = orchest.get_inputs()["token"]
        print("read", token)
        orchest.output(token, name="seen")
        """;

    [Fact]
    public async Task SelectionRun_ParentsSetFromAnEarlierRun_StaysWhileItsStepReadsIt()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("selection")
            .Step("Produce", "produce.py", Producer)
            .Step("Read", "read.py", Reader, ["Produce"]);
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("a", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("selection-" + bed.Prefix, origin.Root);
        var shared = bed.Folder("shared");
        var env = new JsonObject { ["SHARED_DIR"] = shared };
        async Task<string> RunAsync(string runType, params string[] steps) => (string)(await api.CreateRunAsync(project, new JsonObject
        {
            ["run_type"] = runType,
            ["steps"] = new JsonArray(steps.Select(s => (JsonNode)s).ToArray()),
            ["env"] = env.DeepClone(),
        }))["id"]!;

        var first = await RunAsync("full");
        Assert.Equal("SUCCESS", (string?)(await api.WaitForEndAsync(first, RunTimeout, host.ToString))["status"]);

        // The selection's Read reads the first run's Produce set, and holds; two more runs commit Produce meanwhile
        // (the step keeps its latest set and one more).
        await File.WriteAllTextAsync(Path.Combine(shared, "hold"), "");
        var selection = await RunAsync("selection", "Read");
        await Wait.UntilAsync(() => File.Exists(Path.Combine(shared, "reader-started")), RunTimeout, host.ToString);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var producer = await RunAsync("selection", "Produce");
            Assert.Equal("SUCCESS", (string?)(await api.WaitForEndAsync(producer, RunTimeout, host.ToString))["status"]);
        }

        await File.WriteAllTextAsync(Path.Combine(shared, "release"), "");
        var read = await api.WaitForEndAsync(selection, RunTimeout, host.ToString);

        Assert.True((string?)read["status"] == "SUCCESS", $"{read}\n{host}");
        var (logStatus, _, log) = await api.GetBytesAsync($"api/runs/{selection}/steps/{pipeline.StepUuid("Read")}/logs");
        Assert.Equal(System.Net.HttpStatusCode.OK, logStatus);
        Assert.Contains("read made by " + first, System.Text.Encoding.UTF8.GetString(log), StringComparison.Ordinal);
    }
}
