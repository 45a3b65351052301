using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>Fail-fast (the default) against <c>settings.failure_policy: "continue"</c>, with real step processes.</summary>
public sealed class FailurePolicyTests : IDisposable
{
    private readonly TempProject _project = new("failure-policy");
    private readonly string _marker = $"orchest-cli-test-{Guid.NewGuid():n}";

    [Fact]
    public async Task Run_FailFast_AbortsTheUnrelatedRunningBranchAndStopsItsProcesses()
    {
        var pipeline = new PipelineBuilder()
            .Step("Fail", "fail.sh", Scripts.WaitFor("fail.go", "echo 'fatal: disk on fire' >&2; exit 4"))
            .Shell("Failed child", "Fail")
            .Step("Long", $"long-{_marker}.sh", $"/usr/bin/python3 -c 'import time; time.sleep(120)' {_marker}-child\necho 'long finished'\n")
            .Shell("After long", "Long");
        _project.WritePipeline(pipeline);

        var run = OrchestCli.RunJsonAsync(_project);
        await Wait.UntilAsync(() => ProcessTable.FindByMarker(_marker).Count >= 2, TimeSpan.FromSeconds(30), "Long and its child process");
        File.WriteAllText(Path.Combine(_project.Root, "fail.go"), "");
        var result = await run;

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("FAILURE", result.Status);
        Assert.Equal(
            new Dictionary<string, string> { ["Fail"] = "FAILURE", ["Failed child"] = "ABORTED", ["Long"] = "ABORTED", ["After long"] = "ABORTED" },
            result.StepStatuses);
        Assert.Equal("step \"Fail\" failed", (string)result.Step("Long")["message"]!);
        Assert.DoesNotContain("long finished", result.Log("Long"), StringComparison.Ordinal);
        Assert.Empty(await ProcessTable.WaitGoneAsync(_marker, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Run_FailFastJson_PrintsTheRunRecordAndStoresItUnderRuns()
    {
        var pipeline = new PipelineBuilder("record").Shell("Ok").Step("Broken", "broken.sh", "echo 'about to fail'\nexit 4\n", ["Ok"]).Shell("Never", "Broken");
        _project.WritePipelineBesideSteps(pipeline, "flows/record.orchest");

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 1, result.ToString());
        var record = result.Record;
        var id = (string)record["id"]!;
        Assert.True(Guid.TryParse(id, out _), id);
        Assert.Equal("FAILURE", (string)record["status"]!);
        Assert.Equal("flows/record.orchest", (string)record["pipeline"]!);
        Assert.True((DateTimeOffset)record["started"]! <= (DateTimeOffset)record["finished"]!);
        var stored = File.ReadAllText(Path.Combine(_project.OrchestDirectory, "runs", id, "run.json"));
        Assert.True(JsonNode.DeepEquals(record, JsonNode.Parse(stored)), stored);

        Assert.Equal(["Ok", "Broken", "Never"], result.StepTitles);
        foreach (var step in result.Steps)
        {
            var title = (string)step["title"]!;
            Assert.Equal(pipeline.StepUuid(title), (string)step["uuid"]!);
            Assert.Equal(Path.Combine(_project.OrchestDirectory, "pipelines", pipeline.Uuid, "logs", $"{step["uuid"]}.log"), (string)step["log"]!);
            Assert.NotNull(step["finished"]);
        }

        Assert.Equal(["SUCCESS", "FAILURE", "ABORTED"], result.Steps.Select(s => (string)s["status"]!));
        Assert.True(result.Started("Broken") <= result.Finished("Broken"));
        Assert.Equal(4, (int)result.Step("Broken")["exit_code"]!);
        Assert.Equal(["about to fail"], result.LogLines("Broken"));
        Assert.Null(result.Step("Never")["started"]);
        Assert.False(File.Exists((string)result.Step("Never")["log"]!));
    }

    [Fact]
    public async Task Run_Continue_FinishesTheUnrelatedBranchAndAbortsOnlyDescendants()
    {
        var pipeline = new PipelineBuilder()
            .Setting("failure_policy", "continue")
            // Two at a time: Fail and Long start; "Seen failure" starts only once the engine has recorded Fail's end
            // (a slot frees then), and Long ends only after that, so it was running when Fail failed.
            .Setting("max_steps_parallelism", 2)
            .Step("Fail", "fail.sh", Scripts.WaitFor("long.started", "for i in $(seq 1 25); do echo \"detail $i\"; done; echo 'fatal: disk on fire'; exit 4"))
            .Shell("Failed child", "Fail")
            .Shell("Failed grandchild", "Failed child")
            .Step("Long", "long.sh", Scripts.Touch("long.started") + Scripts.WaitFor("fail.seen", "echo 'long finished'"))
            .Shell("After long", "Long")
            .Step("Seen failure", "seen-failure.sh", Scripts.Touch("fail.seen"));
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunAsync("run", _project.Root);

        Assert.True(result.ExitCode == 1, result.ToString());
        var record = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(_project.OrchestDirectory, "runs"), "run.json", SearchOption.AllDirectories).Single()))!;
        var statuses = record["steps"]!.AsArray().ToDictionary(s => (string)s!["title"]!, s => (string)s!["status"]!);
        Assert.Equal("FAILURE", (string)record["status"]!);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Fail"] = "FAILURE", ["Failed child"] = "ABORTED", ["Failed grandchild"] = "ABORTED", ["Long"] = "SUCCESS", ["After long"] = "SUCCESS",
                ["Seen failure"] = "SUCCESS",
            },
            statuses);
        var longFinished = (DateTimeOffset)record["steps"]!.AsArray().Single(s => (string)s!["title"]! == "Long")!["finished"]!;
        var failFinished = (DateTimeOffset)record["steps"]!.AsArray().Single(s => (string)s!["title"]! == "Fail")!["finished"]!;
        Assert.True(longFinished > failFinished, "Long was still running when Fail failed");

        var lines = result.OutputLines;
        Assert.Contains("FAILURE  Fail", lines.Single(l => l.StartsWith("FAILURE  Fail (", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.EndsWith(": exited with code 4)", lines.Single(l => l.StartsWith("FAILURE  Fail (", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("ABORTED  Failed child (step \"Fail\" failed)", lines);
        Assert.Contains("[Long] long finished", lines);
        Assert.Contains(lines, l => l.StartsWith($"Run {record["id"]} FAILURE in ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  SUCCESS  After long         ", StringComparison.Ordinal));

        var log = Path.Combine(_project.OrchestDirectory, "pipelines", pipeline.Uuid, "logs", pipeline.StepUuid("Fail") + ".log");
        // The log was streamed: the summary names the step, its exit code and its log, and repeats no line of it.
        Assert.Equal($"Step \"Fail\" failed with exit code 4. Its log: {log}", lines[^1]);
        Assert.Single(lines, l => l.Contains("fatal: disk on fire", StringComparison.Ordinal));
    }

    public void Dispose() => _project.Dispose();
}
