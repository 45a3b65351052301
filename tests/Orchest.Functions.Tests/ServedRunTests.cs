using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>A run over HTTP on a real host: the quickstart end to end, and a step's log followed live.</summary>
[Collection(ServedCollection.Name)]
public sealed class ServedRunTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task CreateRun_Quickstart_ReachesSuccessWithLogsOutputsAndNotebook()
    {
        await using var bed = new ServedTestbed(azurite, output);
        using var origin = new GitOrigin("quickstart");
        origin.CopyFrom(Path.Combine(OrchestBinary.RepositoryRoot(), "samples", "quickstart"), ".orchest/runs", ".orchest/pipelines", ".orchest/data");
        var commit = origin.Commit("quickstart");
        var host = await bed.StartHostAsync("solo", "api,worker,timers");
        using var api = bed.Api(host);

        var project = await api.CreateProjectAsync("quickstart-" + bed.Prefix, origin.Root);
        var created = await api.CreateRunAsync(project, new JsonObject { ["pipeline"] = "quickstart.orchest" });
        var runId = (string)created["id"]!;
        var run = await api.WaitForEndAsync(runId, RunTimeout, host.ToString);

        Assert.Equal("SUCCESS", (string?)run["status"]);
        Assert.Equal(commit, (string?)run["commit"]);
        Assert.Equal(project, (string?)run["project"]);
        Assert.NotNull(run["started"]);
        Assert.NotNull(run["finished"]);
        var steps = run["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(5, steps.Count);
        Assert.All(steps, s => Assert.Equal(("SUCCESS", 1), ((string?)s["status"], (int)s["attempt"]!)));

        // Logs: text, as the step printed it.
        var check = Uuid(run, "Check input");
        var (logStatus, logType, log) = await api.GetBytesAsync($"api/runs/{runId}/steps/{check}/logs");
        Assert.Equal((HttpStatusCode.OK, "text/plain"), (logStatus, logType));
        Assert.Contains("input ok:", Encoding.UTF8.GetString(log), StringComparison.Ordinal);

        // Outputs: the pickled table (unnamed) and the JSON statistics of "Load and clean".
        var clean = Uuid(run, "Load and clean");
        var (_, outputs, _) = await api.SendAsync(HttpMethod.Get, $"api/runs/{runId}/steps/{clean}/outputs");
        var byName = outputs!.AsArray().ToDictionary(o => (string?)o!["name"] ?? "unnamed", o => o!.AsObject());
        Assert.Equal(["cleaning_stats", "unnamed"], byName.Keys.Order());
        Assert.Equal("JSON", (string?)byName["cleaning_stats"]["serialization"]);
        Assert.Equal("PICKLE", (string?)byName["unnamed"]["serialization"]);
        Assert.All(byName.Values, o => Assert.True((long)o["size"]! > 0));

        var (statsStatus, statsType, statsBytes) = await api.GetBytesAsync($"api/runs/{runId}/steps/{clean}/outputs/cleaning_stats");
        Assert.Equal((HttpStatusCode.OK, "application/json"), (statsStatus, statsType));
        var stats = JsonNode.Parse(statsBytes)!;
        Assert.True((int)stats["rows_out"]! > 0);
        Assert.Equal((int)stats["rows_in"]! - (int)stats["rows_out"]!, (int)stats["dropped"]!);
        Assert.Equal(byName["cleaning_stats"]["size"]!.GetValue<long>(), statsBytes.Length);

        var (tableStatus, tableType, table) = await api.GetBytesAsync($"api/runs/{runId}/steps/{clean}/outputs/unnamed");
        Assert.Equal((HttpStatusCode.OK, "application/octet-stream"), (tableStatus, tableType));
        Assert.Equal(0x80, table[0]); // a pickle (protocol 2+) starts with PROTO

        // The child read its parent's output through the blob locations: the report's summary exists.
        var report = Uuid(run, "Train and report");
        var (_, reportOutputs, _) = await api.SendAsync(HttpMethod.Get, $"api/runs/{runId}/steps/{report}/outputs");
        Assert.Contains(reportOutputs!.AsArray(), o => (string?)o!["name"] == "summary");

        // The executed notebook.
        var morphology = Uuid(run, "Morphology features");
        var (notebookStatus, notebookType, notebook) = await api.GetBytesAsync($"api/runs/{runId}/steps/{morphology}/notebook");
        Assert.Equal((HttpStatusCode.OK, "application/x-ipynb+json"), (notebookStatus, notebookType));
        var cells = JsonNode.Parse(notebook)!["cells"]!.AsArray();
        Assert.Contains(cells, c => (string?)c!["cell_type"] == "code" && c["outputs"]!.AsArray().Count > 0);
        var (noNotebook, _, _) = await api.GetBytesAsync($"api/runs/{runId}/steps/{check}/notebook");
        Assert.Equal(HttpStatusCode.NotFound, noNotebook);

        // Steps by title in every route, as the CLI takes them.
        Assert.Equal(log, (await api.GetBytesAsync($"api/runs/{runId}/steps/{Uri.EscapeDataString("Check input")}/logs")).Content);
        var (_, outputsByTitle, _) = await api.SendAsync(HttpMethod.Get, $"api/runs/{runId}/steps/{Uri.EscapeDataString("Load and clean")}/outputs");
        Assert.Equal(outputs.ToJsonString(), outputsByTitle!.ToJsonString());
        Assert.Equal(statsBytes, (await api.GetBytesAsync($"api/runs/{runId}/steps/{Uri.EscapeDataString("Load and clean")}/outputs/cleaning_stats")).Content);
        Assert.Equal(notebook, (await api.GetBytesAsync($"api/runs/{runId}/steps/{Uri.EscapeDataString("Morphology features")}/notebook")).Content);
    }

    [Fact]
    public async Task StepRoutes_TitleSharedByTwoSteps_Return400NamingTheirUuids()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("twins").Shell("Twin").Shell("Other");
        var json = JsonNode.Parse(pipeline.ToJson())!;
        json["steps"]![pipeline.StepUuid("Other")]!["title"] = "Twin";
        using var origin = new GitOrigin("twins");
        foreach (var (file, content) in pipeline.StepFiles)
        {
            origin.Write(file, content, executable: true);
        }

        origin.Write("main.orchest", json.ToJsonString());
        origin.Commit("twins");
        var host = await bed.StartHostAsync("solo", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("twins-" + bed.Prefix, origin.Root);
        var runId = (string)(await api.CreateRunAsync(project, new JsonObject()))["id"]!;
        await api.WaitForEndAsync(runId, RunTimeout, host.ToString);

        var (status, problem, _) = await api.SendAsync(HttpMethod.Get, $"api/runs/{runId}/steps/Twin/logs");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = (string)problem!["errors"]![0]!;
        Assert.Contains("Title \"Twin\" is shared by 2 steps", detail, StringComparison.Ordinal);
        Assert.Contains(pipeline.StepUuid("Twin"), detail, StringComparison.Ordinal);
        Assert.Contains(pipeline.StepUuid("Other"), detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.GetBytesAsync($"api/runs/{runId}/steps/{pipeline.StepUuid("Other")}/logs")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetBytesAsync($"api/runs/{runId}/steps/Nobody/logs")).Status);
    }

    [Fact]
    public async Task GetLogs_Follow_StreamsWhileTheStepRunsAndEndsWhenItEnds()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var flags = bed.Folder("flags");
        var pipeline = new PipelineBuilder("follow").Step("Talk", "talk.sh",
            """
            echo "first line"
            while [ ! -f "$FLAG_DIR/go" ]; do sleep 0.1; done
            echo "last line"
            """);
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("solo", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("follow-" + bed.Prefix, origin.Root);
        var runId = (string)(await api.CreateRunAsync(project, new JsonObject { ["env"] = new JsonObject { ["FLAG_DIR"] = flags } }))["id"]!;
        var step = pipeline.StepUuid("Talk");

        using var response = await api.Http.GetAsync($"api/runs/{runId}/steps/{step}/logs?follow=true", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(RunTimeout);
        while (!received.ToString().Contains("first line", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, $"the log stream ended before the step did: \"{received}\"");
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        // The first line arrived while the step still runs (it waits for the flag).
        Assert.Equal("STARTED", (string?)ApiClient.Step(await api.GetRunAsync(runId), "Talk")["status"]);
        await File.WriteAllTextAsync(Path.Combine(flags, "go"), "");

        int n;
        while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        // The stream ended on its own, after the step ended, with everything the step wrote.
        Assert.Contains("last line", received.ToString(), StringComparison.Ordinal);
        var run = await api.WaitForEndAsync(runId, RunTimeout);
        Assert.Equal("SUCCESS", (string?)ApiClient.Step(run, "Talk")["status"]);
    }

    private static string Uuid(JsonObject run, string title) => (string)ApiClient.Step(run, title)["uuid"]!;
}
