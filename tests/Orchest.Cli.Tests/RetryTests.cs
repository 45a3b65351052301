using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary><c>settings.retry</c>: a failed attempt runs again, with its log kept.</summary>
public sealed class RetryTests : IDisposable
{
    private const string FlakyStep = """
        echo "attempt $ORCHEST_STEP_ATTEMPT"
        if [ -f "$ORCHEST_PROJECT_DIR/tried-once" ]; then
          echo "worked this time"
        else
          touch "$ORCHEST_PROJECT_DIR/tried-once"
          echo "transient failure"
          exit 1
        fi

        """;

    private readonly TempProject _project = new("retry");

    [Fact]
    public async Task Run_StepFailingOnceWithTwoAttempts_SucceedsOnAttemptTwo()
    {
        var pipeline = new PipelineBuilder()
            .Setting("retry", new JsonObject { ["max_attempts"] = 2, ["backoff_seconds"] = 0 })
            .Step("Flaky", "flaky.sh", FlakyStep)
            .Shell("Child", "Flaky");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("SUCCESS", (string)result.Step("Flaky")["status"]!);
        Assert.Equal(2, (int)result.Step("Flaky")["attempt"]!);
        Assert.Equal(1, (int)result.Step("Child")["attempt"]!);
        Assert.Equal(["attempt 1", "transient failure", "--- attempt 2 ---", "attempt 2", "worked this time"], result.LogLines("Flaky"));
        Assert.Contains("RETRY    Flaky (attempt 2 after: exited with code 1)", result.ErrorLines);
    }

    [Fact]
    public async Task Run_StepFailingEveryAttempt_FailsAfterTheLastAttempt()
    {
        var pipeline = new PipelineBuilder()
            .Setting("retry", new JsonObject { ["max_attempts"] = 2, ["backoff_seconds"] = 0 })
            .Step("Broken", "broken.sh", "echo \"attempt $ORCHEST_STEP_ATTEMPT\"\nexit 5\n");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("FAILURE", (string)result.Step("Broken")["status"]!);
        Assert.Equal(2, (int)result.Step("Broken")["attempt"]!);
        Assert.Equal(["attempt 1", "--- attempt 2 ---", "attempt 2"], result.LogLines("Broken"));
    }

    public void Dispose() => _project.Dispose();
}
