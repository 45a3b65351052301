using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary><c>orchest pipelines</c>: every discovered pipeline with its step count and name, invalid ones flagged.</summary>
public sealed class PipelinesCommandTests : IDisposable
{
    private readonly TempProject _project = new("pipelines");

    [Fact]
    public async Task Pipelines_SeveralPipelines_ListsPathsStepCountsAndNames()
    {
        _project.WritePipeline(new PipelineBuilder("Alpha").Shell("A").Shell("B", "A"), "alpha.orchest");
        _project.Write("nested/deeper/beta.orchest", new PipelineBuilder("Beta").Step("C", "c.sh").ToJson());
        _project.Write("broken.orchest", "{\"name\": ");
        _project.Write(".ipynb_checkpoints/alpha-checkpoint.orchest", "{}");
        _project.Write(".orchest/old.orchest", "{}");
        var before = _project.OrchestEntries();

        var result = await OrchestCli.RunAsync("pipelines", _project.Root);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                "alpha.orchest                 2 steps  Alpha",
                "broken.orchest              invalid: broken.orchest: invalid JSON at line 1, column 10: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.",
                "nested/deeper/beta.orchest    1 step   Beta",
            ],
            result.OutputLines);
        Assert.Equal("", result.Error);
        Assert.Equal(before, _project.OrchestEntries());
    }

    [Fact]
    public async Task Pipelines_NoPipelines_SaysSo()
    {
        var result = await OrchestCli.RunAsync("pipelines", _project.Root);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"No pipelines in {_project.Root}."], result.OutputLines);
        Assert.False(Directory.Exists(_project.OrchestDirectory));
    }

    public void Dispose() => _project.Dispose();
}
