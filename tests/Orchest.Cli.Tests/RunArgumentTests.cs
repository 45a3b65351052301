using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>Bad command-line input to <c>orchest run</c>: every problem listed, exit 2, nothing written, no step run.</summary>
public sealed class RunArgumentTests : IDisposable
{
    private readonly TempProject _project = new("arguments");
    private readonly PipelineBuilder _pipeline = new PipelineBuilder().Shell("A").Shell("B", "A");

    public RunArgumentTests()
    {
        _project.WritePipeline(_pipeline);
    }

    [Fact]
    public async Task Run_UnknownStepsReference_NamesTheReference()
    {
        await AssertRejectedAsync(
            ["--run-type", "selection", "--steps", "A,Nope"],
            "main.orchest: a selection run names step \"Nope\", but no step has that uuid or title.");
    }

    [Fact]
    public async Task Run_SelectionWithoutSteps_SaysOneIsNeeded()
    {
        await AssertRejectedAsync(["--run-type", "selection"], "main.orchest: a selection run needs at least one step; none was given.");
    }

    [Fact]
    public async Task Run_IncomingOfARootStep_SaysThereIsNothingToRun()
    {
        await AssertRejectedAsync(
            ["--run-type", "incoming", "--steps", "A"],
            $"main.orchest: an incoming run of \"A\" ({_pipeline.StepUuid("A")}) has no steps to run: \"A\" ({_pipeline.StepUuid("A")}) has no incoming steps.");
    }

    [Fact]
    public async Task Run_ParamWithoutEquals_IsNotKeyValue()
    {
        await AssertRejectedAsync(["--param", "novalue"], "--param \"novalue\" is not key=value.");
    }

    [Fact]
    public async Task Run_ParamWithEmptyKey_IsNotKeyValue()
    {
        await AssertRejectedAsync(["--param", "=1"], "--param \"=1\" is not key=value.");
    }

    [Fact]
    public async Task Run_StepParamWithoutStep_IsNotStepKeyValue()
    {
        await AssertRejectedAsync(["--step-param", "k=1"], "--step-param \"k=1\" is not <step>:key=value.");
    }

    [Fact]
    public async Task Run_StepParamForUnknownStep_NamesTheStep()
    {
        await AssertRejectedAsync(["--step-param", "Ghost:k=1"], "--step-param: main.orchest has no step \"Ghost\" (use a step uuid or title; steps: \"A\", \"B\").");
    }

    [Fact]
    public async Task Run_EnvWithBadName_IsRefusedWithoutEchoingTheValue()
    {
        var result = await AssertRejectedAsync(
            ["--env", "BAD NAME=s3cr3t-value", "--env", "NOEQUALS"],
            "--env \"BAD NAME=…\" is not NAME=VALUE with a name of letters, digits, '-' and '_'.",
            "--env \"NOEQUALS=…\" is not NAME=VALUE with a name of letters, digits, '-' and '_'.");

        Assert.DoesNotContain("s3cr3t", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BogusRunType_ListsTheRunTypes()
    {
        await AssertRejectedAsync(["--run-type", "bogus"], "--run-type \"bogus\" is not one of full, selection, incoming.");
    }

    [Fact]
    public async Task Run_NegativeParallelism_IsRefused()
    {
        await AssertRejectedAsync(["--parallelism", "-1"], "--parallelism must be 0 (unbounded) or more.");
    }

    [Fact]
    public async Task Run_SeveralBadArguments_ListsThemAll()
    {
        await AssertRejectedAsync(
            ["--run-type", "bogus", "--param", "x", "--step-param", "Ghost:k=1", "--env", "1 2=3"],
            "--run-type \"bogus\" is not one of full, selection, incoming.",
            "--param \"x\" is not key=value.",
            "--env \"1 2=…\" is not NAME=VALUE with a name of letters, digits, '-' and '_'.",
            "--step-param: main.orchest has no step \"Ghost\" (use a step uuid or title; steps: \"A\", \"B\").");
    }

    [Fact]
    public async Task Run_BadArgumentsAndAnInvalidPipeline_ListsBoth()
    {
        var broken = new PipelineBuilder().Step("Gone", "gone.sh");
        _project.Write("main.orchest", broken.ToJson());

        await AssertRejectedAsync(
            ["--param", "x"],
            "--param \"x\" is not key=value.",
            $"main.orchest: step \"Gone\" ({broken.StepUuid("Gone")}): file_path \"gone.sh\" does not exist (looked for \"gone.sh\" in the project).");
    }

    [Fact]
    public async Task Run_TwoPipelinesWithoutPipelineOption_AsksForOne()
    {
        _project.WritePipeline(new PipelineBuilder("other").Shell("X"), "other/second.orchest");

        await AssertRejectedAsync([], "the project has 2 pipelines; choose one with --pipeline: main.orchest, other/second.orchest.");
    }

    [Fact]
    public async Task Run_PipelineOptionNamingAMissingFile_SaysSo()
    {
        await AssertRejectedAsync(["--pipeline", "nope.orchest"], $"pipeline file \"nope.orchest\" does not exist in \"{_project.Root}\".");
    }

    [Fact]
    public async Task Run_PipelineOptionOutsideTheProject_IsRefused()
    {
        await AssertRejectedAsync(["--pipeline", "../elsewhere.orchest"], $"pipeline \"../elsewhere.orchest\" is outside the project folder \"{_project.Root}\".");
    }

    [Fact]
    public async Task Run_ProjectWithoutPipelines_SaysNoneWasFound()
    {
        using var empty = new TempProject("empty");
        empty.Write("notes.md", "no pipelines here\n");

        var result = await OrchestCli.RunAsync("run", empty.Root);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"error: no pipeline (*.orchest file) found in \"{empty.Root}\"."], result.ErrorLines);
        Assert.False(Directory.Exists(empty.OrchestDirectory));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("validate")]
    [InlineData("pipelines")]
    public async Task Command_MissingProjectFolder_SaysItDoesNotExistAndCreatesNothing(string command)
    {
        var missing = Path.Combine(_project.Root, "no", "such", "project");

        var result = await OrchestCli.RunAsync(command, missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"error: project folder \"{missing}\" does not exist."], result.ErrorLines);
        Assert.Equal("", result.Output);
        Assert.False(Directory.Exists(Path.Combine(_project.Root, "no")));
    }

    [Fact]
    public async Task Run_UnknownOption_IsInvalidInput()
    {
        var result = await AssertRejectedAsync(["--frobnicate"], "Unrecognized command or argument '--frobnicate'.");

        Assert.Equal("", result.Output);
        Assert.Equal("Run \"orchest run --help\" for usage.", result.ErrorLines[^1]);
    }

    /// <summary>The run exits 2 with exactly these problems, writes nothing under .orchest/ and runs no step.</summary>
    private async Task<CliResult> AssertRejectedAsync(string[] arguments, params string[] problems)
    {
        var before = _project.OrchestEntries();
        var files = _project.ProjectFiles();

        var result = await OrchestCli.RunAsync(["run", _project.Root, .. arguments]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(problems.Select(p => $"error: {p}"), result.ErrorLines.Where(l => l.StartsWith("error: ", StringComparison.Ordinal)));
        Assert.Equal("", result.Output);
        Assert.Equal(before, _project.OrchestEntries());
        Assert.False(Directory.Exists(_project.OrchestDirectory));
        Assert.Equal(files, _project.ProjectFiles());
        return result;
    }

    public void Dispose() => _project.Dispose();
}
