using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary><c>orchest runs</c> and <c>orchest logs</c>: a project's local history, steps by uuid or title.</summary>
public sealed class RunHistoryTests : IDisposable
{
    private readonly TempProject _project = new("history");
    private readonly PipelineBuilder _pipeline = new PipelineBuilder()
        .Step("Load data", "load.sh", "echo loading\necho \"attempted $ORCHEST_RUN_UUID\"\n")
        .Step("Fail", "fail.sh", "echo 'about to fail'\n[ -f ok ] || exit 3\necho recovered\n", ["Load data"]);

    public RunHistoryTests() => _project.WritePipeline(_pipeline);

    [Fact]
    public async Task Runs_AfterAFailedAndASucceededRun_ListsThemNewestFirstWithTheFailedStep()
    {
        var failed = (await OrchestCli.RunJsonAsync(_project)).Record;
        _project.Write("ok", "");
        var succeeded = (await OrchestCli.RunJsonAsync(_project)).Record;

        var result = await OrchestCli.RunAsync("runs", _project.Root);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, result.OutputLines.Count);
        Assert.Matches(@"^RUN +STATUS +STARTED +DURATION +PIPELINE$", result.OutputLines[0]);
        Assert.Matches($@"^{succeeded["id"]}  SUCCESS  \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d  .+  main\.orchest$", result.OutputLines[1]);
        Assert.StartsWith($"{failed["id"]}  FAILURE  ", result.OutputLines[2], StringComparison.Ordinal);
        Assert.EndsWith("main.orchest  failed: \"Fail\" (exit code 3)", result.OutputLines[2], StringComparison.Ordinal);

        var json = JsonNode.Parse((await OrchestCli.RunAsync("runs", _project.Root, "--json", "-n", "1")).Output)!.AsArray();
        Assert.Equal((string)succeeded["id"]!, (string)Assert.Single(json)!["id"]!);
    }

    [Fact]
    public async Task Runs_NoRunYet_SaysHowToStartOne()
    {
        var result = await OrchestCli.RunAsync("runs", _project.Root);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"No runs in {_project.Root} yet; \"orchest run {_project.Root}\" starts one."], result.OutputLines);
    }

    [Fact]
    public async Task Logs_StepByTitleOrUuid_PrintsTheLogOfItsLastRun()
    {
        await OrchestCli.RunJsonAsync(_project);
        var run = (await OrchestCli.RunJsonAsync(_project)).Record;
        var path = Path.Combine(_project.OrchestDirectory, "pipelines", _pipeline.Uuid, "logs", _pipeline.StepUuid("Load data") + ".log");

        var byTitle = await OrchestCli.RunAsync("logs", _project.Root, "Load data");
        var byUuid = await OrchestCli.RunAsync("logs", _project.Root, _pipeline.StepUuid("Load data"), "--pipeline", "main.orchest");
        var tail = await OrchestCli.RunAsync("logs", _project.Root, "Fail", "--tail", "1");

        Assert.True(byTitle.ExitCode == 0, byTitle.ToString());
        Assert.Equal(["loading", $"attempted {run["id"]}"], byTitle.OutputLines);
        Assert.Equal([$"Log of step \"Load data\" ({_pipeline.StepUuid("Load data")}) from run {run["id"]} (SUCCESS): {path}"], byTitle.ErrorLines);
        Assert.Equal(byTitle.Output, byUuid.Output);
        Assert.Equal(["about to fail"], tail.OutputLines);
        Assert.Contains($"from run {run["id"]} (FAILURE)", tail.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_UnknownSharedOrNotRunStep_IsInvalidInput()
    {
        // Two steps titled "Same" (Orchest allowed it); the builder derives uuids from titles, so rename after.
        var twins = new PipelineBuilder("twins").Step("Same", "a.sh", "echo a\n").Step("Same 2", "b.sh", "echo b\n").Step("Never", "c.sh", "echo c\n");
        _project.Write("twins.orchest", twins.ToJson().Replace("\"Same 2\"", "\"Same\"", StringComparison.Ordinal));

        var unknown = await OrchestCli.RunAsync("logs", _project.Root, "Nope", "--pipeline", "twins.orchest");
        var shared = await OrchestCli.RunAsync("logs", _project.Root, "Same", "--pipeline", "twins.orchest");
        var notRun = await OrchestCli.RunAsync("logs", _project.Root, "Never", "--pipeline", "twins.orchest");
        var noPipeline = await OrchestCli.RunAsync("logs", _project.Root, "Fail");

        Assert.All([unknown, shared, notRun, noPipeline], r => Assert.Equal(2, r.ExitCode));
        Assert.Equal(["error: twins.orchest has no step \"Nope\" (use a step uuid or title; steps: \"Same\", \"Same\", \"Never\")."], unknown.ErrorLines);
        Assert.StartsWith("error: title \"Same\" is shared by steps ", shared.Error, StringComparison.Ordinal);
        Assert.Equal([$"error: step \"Never\" of twins.orchest has no log yet: it has not run on this machine (\"orchest run {_project.Root}\")."], notRun.ErrorLines);
        Assert.StartsWith("error: the project has 2 pipelines; choose one with --pipeline", noPipeline.Error, StringComparison.Ordinal);
        Assert.All([unknown, shared, notRun, noPipeline], r => Assert.Equal("", r.Output));
    }

    public void Dispose() => _project.Dispose();
}
