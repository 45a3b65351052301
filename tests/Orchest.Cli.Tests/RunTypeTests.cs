using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>full, selection and incoming runs through <c>orchest run --json</c>, on chains and diamonds.</summary>
public sealed class RunTypeTests : IDisposable
{
    private readonly TempProject _project = new("run-types");

    [Fact]
    public async Task Run_SelectionOfFirstAndLastOfChain_RunsBothWithoutAnEdge()
    {
        // A can only succeed if C runs while A is still waiting: no A -> C ordering is left.
        var pipeline = new PipelineBuilder()
            .Step("A", "a.sh", Scripts.WaitFor("c.done"))
            .Shell("B", "A")
            .Step("C", "c.sh", Scripts.Touch("c.done"), ["B"]);
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project, "--run-type", "selection", "--steps", "A,C");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("SUCCESS", result.Status);
        Assert.Equal("selection", (string)result.Record["run_type"]!);
        Assert.Equal(["A", "C"], result.StepTitles.Order());
        Assert.Equal(["saw c.done"], result.LogLines("A"));
        Assert.True(result.Started("A") < result.Finished("C"));
        Assert.False(File.Exists(Path.Combine(_project.OrchestDirectory, "pipelines", pipeline.Uuid, "logs", pipeline.StepUuid("B") + ".log")));
    }

    [Fact]
    public async Task Run_IncomingOfLastTwoOfChain_RunsOnlyTheFirst()
    {
        var pipeline = new PipelineBuilder().Shell("A").Shell("B", "A").Shell("C", "B");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project, "--run-type", "incoming", "--steps", "B,C");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["A"], result.StepTitles);
        Assert.Equal("SUCCESS", (string)result.Step("A")["status"]!);
        Assert.Equal(["A ran"], result.LogLines("A"));
    }

    [Fact]
    public async Task Run_FullChain_RunsEveryStepAfterItsParent()
    {
        var pipeline = new PipelineBuilder().Shell("A").Shell("B", "A").Shell("C", "B");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("full", (string)result.Record["run_type"]!);
        Assert.Equal(["A", "B", "C"], result.StepTitles);
        Assert.All(result.Steps, s => Assert.Equal("SUCCESS", (string)s["status"]!));
        Assert.True(result.Started("B") >= result.Finished("A"));
        Assert.True(result.Started("C") >= result.Finished("B"));
    }

    [Fact]
    public async Task Run_StepsReferencedByUuid_RunsThoseSteps()
    {
        var pipeline = new PipelineBuilder().Shell("A").Shell("B", "A").Shell("C", "B");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project, "--run-type", "selection", "--steps", $"{pipeline.StepUuid("B")},{pipeline.StepUuid("C")}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["B", "C"], result.StepTitles);
        Assert.Equal(pipeline.StepUuid("B"), (string)result.Step("B")["uuid"]!);
        Assert.True(result.Started("C") >= result.Finished("B"));
    }

    [Fact]
    public async Task Run_StepsReferencedByTitleAndUuidInSeparateOptions_RunsTheUnion()
    {
        var pipeline = new PipelineBuilder().Shell("First step").Shell("Second step", "First step").Shell("Third", "Second step");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(
            _project, "--run-type", "selection", "--steps", "First step", "--steps", pipeline.StepUuid("Third"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["First step", "Third"], result.StepTitles.Order());
    }

    [Fact]
    public async Task Run_FullDiamond_JoinStartsAfterBothBranches()
    {
        var pipeline = new PipelineBuilder()
            .Shell("Top")
            .Step("Left", "left.sh", Scripts.WaitFor("right.started"), ["Top"])
            .Step("Right", "right.sh", Scripts.Touch("right.started") + "sleep 0.3\n", ["Top"])
            .Shell("Join", "Left", "Right");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        // Left waits for Right to start: the branches ran in parallel.
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(4, result.Steps.Count);
        Assert.True(result.Started("Left") >= result.Finished("Top"));
        Assert.True(result.Started("Right") >= result.Finished("Top"));
        Assert.True(result.Started("Join") >= result.Finished("Left"));
        Assert.True(result.Started("Join") >= result.Finished("Right"));
    }

    [Fact]
    public async Task Run_IncomingOfDiamondJoin_RunsEveryAncestorButNotTheJoin()
    {
        var pipeline = new PipelineBuilder().Shell("Top").Shell("Left", "Top").Shell("Right", "Top").Shell("Join", "Left", "Right");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project, "--run-type", "incoming", "--steps", "Join");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["Left", "Right", "Top"], result.StepTitles.Order());
        Assert.True(result.Started("Left") >= result.Finished("Top"));
    }

    [Fact]
    public async Task Run_SelectionOfDiamondTopAndJoin_RunsBothWithoutAnEdge()
    {
        var pipeline = new PipelineBuilder()
            .Step("Top", "top.sh", Scripts.WaitFor("join.done"))
            .Shell("Left", "Top")
            .Shell("Right", "Top")
            .Step("Join", "join.sh", Scripts.Touch("join.done"), ["Left", "Right"]);
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project, "--run-type", "selection", "--steps", "Top,Join");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["Join", "Top"], result.StepTitles.Order());
    }

    [Fact]
    public async Task Run_SelectionOfDiamondBranchAndJoin_KeepsTheEdgeBetweenThem()
    {
        var pipeline = new PipelineBuilder()
            .Shell("Top")
            .Step("Left", "left.sh", "sleep 0.2\necho left\n", ["Top"])
            .Shell("Right", "Top")
            .Shell("Join", "Left", "Right");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project, "--run-type", "selection", "--steps", "Join,Left");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["Left", "Join"], result.StepTitles);
        Assert.True(result.Started("Join") >= result.Finished("Left"));
    }

    public void Dispose() => _project.Dispose();
}
