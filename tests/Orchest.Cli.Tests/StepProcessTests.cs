using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>How step processes are started and limited: interpreters, working folders, parallelism.</summary>
public sealed class StepProcessTests : IDisposable
{
    private readonly TempProject _project = new("step-processes");

    [Fact]
    public async Task Run_MissingPythonInterpreter_FailsTheStepClearlyAndAbortsTheRest()
    {
        var pipeline = new PipelineBuilder().Step("Train", "train.py", "print('never')\n").Shell("Report", "Train");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project, "--python", "/nonexistent/bin/python3");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(new Dictionary<string, string> { ["Train"] = "FAILURE", ["Report"] = "ABORTED" }, result.StepStatuses);
        Assert.Equal(127, (int)result.Step("Train")["exit_code"]!);
        var line = Assert.Single(result.LogLines("Train"));
        Assert.StartsWith("Python interpreter \"/nonexistent/bin/python3\" was not found", line, StringComparison.Ordinal);
        Assert.Equal(line, (string)result.Step("Train")["message"]!);
    }

    [Fact]
    public async Task Run_StepsInSubfolders_RunInTheirOwnFolderWithOrchestVariables()
    {
        var pipeline = new PipelineBuilder()
            .Step("Where", "steps/inner/where.sh", "pwd\necho \"$ORCHEST_STEP_UUID $ORCHEST_PIPELINE_UUID $ORCHEST_PROJECT_DIR $ORCHEST_SESSION_TYPE $ORCHEST_STEP_ATTEMPT\"\n")
            .Step("No extension", "steps/run-me", "echo \"bash ran me\"\n");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [Path.Combine(_project.Root, "steps", "inner"), $"{pipeline.StepUuid("Where")} {pipeline.Uuid} {_project.Root} interactive 1"],
            result.LogLines("Where"));
        Assert.Equal(["bash ran me"], result.LogLines("No extension"));
    }

    [Fact]
    public async Task Run_ParallelismOne_RunsIndependentStepsOneAtATime()
    {
        var pipeline = new PipelineBuilder();
        foreach (var title in new[] { "P1", "P2", "P3" })
        {
            pipeline.Step(title, $"{title}.sh", "sleep 0.2\n");
        }

        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project, "--parallelism", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, MostAtOnce(result));
    }

    [Fact]
    public async Task Run_MaxStepsParallelismTwo_NeverRunsMoreThanTwoStepsAtOnce()
    {
        // Each step waits until a second one runs, so two do run together; a third never joins them.
        var pipeline = new PipelineBuilder().Setting("max_steps_parallelism", 2);
        foreach (var title in new[] { "P1", "P2", "P3", "P4" })
        {
            pipeline.Step(title, $"{title}.sh", $"touch \"$ORCHEST_PROJECT_DIR/{title}.running\"\nfor i in $(seq 600); do [ $(ls \"$ORCHEST_PROJECT_DIR\" | grep -c running) -ge 2 ] && break; sleep 0.05; done\nsleep 0.2\n");
        }

        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, MostAtOnce(result));
    }

    [Fact]
    public async Task Run_StepLeavingABackgroundProcess_SucceedsAndTheProcessIsStopped()
    {
        var marker = $"orchest-cli-test-{Guid.NewGuid():n}";
        var pipeline = new PipelineBuilder()
            .Step("Leaky", "leaky.sh", $"/usr/bin/python3 -c 'import time; time.sleep(300)' {marker} > /dev/null 2>&1 &\necho \"left $!\"\n")
            .Shell("Next", "Leaky");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("SUCCESS", (string)result.Step("Leaky")["status"]!);
        Assert.StartsWith("left ", Assert.Single(result.LogLines("Leaky")), StringComparison.Ordinal);
        Assert.Empty(await ProcessTable.WaitGoneAsync(marker, TimeSpan.FromSeconds(5)));
    }

    /// <summary>The most steps whose [started, finished] intervals overlap.</summary>
    private static int MostAtOnce(CliResult result) =>
        result.StepTitles.Max(t => result.StepTitles.Count(o => result.Started(o) <= result.Started(t) && result.Finished(o) > result.Started(t)));

    public void Dispose() => _project.Dispose();
}
