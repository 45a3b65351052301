using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>ORCHEST_DATA_DIR, the shared data folder that stands in for Orchest's /data.</summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly TempProject _project = new("data-dir");
    private readonly string _file = $"written-{Guid.NewGuid():n}.txt";

    [Fact]
    public async Task Run_WithoutDataDir_UsesDataIfWritableElseTheProjectsOrchestData()
    {
        var expected = ExpectedDataDirectory.For(_project.Root);
        WriteStep();

        try
        {
            var result = await OrchestCli.RunJsonAsync(_project);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal([$"data dir {expected}"], result.LogLines("Write"));
            Assert.Equal("from the step\n", File.ReadAllText(Path.Combine(expected, _file)));
        }
        finally
        {
            File.Delete(Path.Combine(expected, _file));
        }
    }

    [Fact]
    public async Task Run_WithDataDir_ExportsAndCreatesThatFolder()
    {
        using var elsewhere = new TempProject("shared-data");
        var folder = Path.Combine(elsewhere.Root, "shared", "data");
        WriteStep();

        var result = await OrchestCli.RunJsonAsync(_project, "--data-dir", folder);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"data dir {folder}"], result.LogLines("Write"));
        Assert.Equal("from the step\n", File.ReadAllText(Path.Combine(folder, _file)));
        Assert.False(File.Exists(Path.Combine(_project.OrchestDirectory, "data", _file)));
    }

    [Fact]
    public async Task Run_WithRelativeDataDir_StepsInSubfoldersSeeTheFolderRelativeToWhereTheCliRan()
    {
        _project.WritePipeline(new PipelineBuilder().Step(
            "Nested", "steps/deep/write.sh", $"echo \"data dir $ORCHEST_DATA_DIR\"\necho 'from the step' > \"$ORCHEST_DATA_DIR/{_file}\"\n"));
        var expected = Path.Combine(_project.Root, "shared");

        using var cli = OrchestProcess.Start(["run", ".", "--data-dir", "shared", "--json"], workingDirectory: _project.Root);
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, $"exit {exitCode}\n{cli}");
        var log = (string)System.Text.Json.Nodes.JsonNode.Parse(cli.Output)!["steps"]![0]!["log"]!;
        Assert.Equal($"data dir {expected}\n", File.ReadAllText(log));
        Assert.Equal("from the step\n", File.ReadAllText(Path.Combine(expected, _file)));
    }

    private void WriteStep() => _project.WritePipeline(new PipelineBuilder().Step(
        "Write", "write.sh", $"echo \"data dir $ORCHEST_DATA_DIR\"\necho 'from the step' > \"$ORCHEST_DATA_DIR/{_file}\"\n"));

    public void Dispose() => _project.Dispose();
}
