using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>
/// The shared data folder (Orchest's /data): chosen from --data-dir, ORCHEST_DATA_DIR or the project,
/// never from what exists on the machine; at /data for sandboxed process steps, in ORCHEST_DATA_DIR always.
/// </summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly TempProject _project = new("data-dir");
    private readonly string _file = $"written-{Guid.NewGuid():n}.txt";

    [Fact]
    public async Task Run_WithoutDataDir_UsesTheProjectsOrchestData()
    {
        var expected = ExpectedDataDirectory.For(_project.Root);
        WriteStep();

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"data dir {await ExpectedDataDirectory.SeenByStepsAsync(expected)}"], result.LogLines("Write"));
        Assert.Equal("from the step\n", File.ReadAllText(Path.Combine(expected, _file)));
    }

    [Fact]
    public async Task Run_WithDataDir_ExportsAndCreatesThatFolder()
    {
        using var elsewhere = new TempProject("shared-data");
        var folder = Path.Combine(elsewhere.Root, "shared", "data");
        WriteStep();

        var result = await OrchestCli.RunJsonAsync(_project, "--data-dir", folder);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"data dir {await ExpectedDataDirectory.SeenByStepsAsync(folder)}"], result.LogLines("Write"));
        Assert.Equal("from the step\n", File.ReadAllText(Path.Combine(folder, _file)));
        Assert.False(File.Exists(Path.Combine(_project.OrchestDirectory, "data", _file)));
    }

    [Fact]
    public async Task Run_WithSandboxNone_StepsFindTheFolderInOrchestDataDir()
    {
        using var elsewhere = new TempProject("shared-data");
        WriteStep();

        var result = await OrchestCli.RunJsonAsync(_project, "--data-dir", elsewhere.Root, "--sandbox", "none");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"data dir {elsewhere.Root}"], result.LogLines("Write"));
        Assert.Equal("from the step\n", File.ReadAllText(Path.Combine(elsewhere.Root, _file)));
    }

    [Fact]
    public async Task Run_OrchestDataDirVariable_ChoosesTheFolderWhenNoFlagDoes()
    {
        using var elsewhere = new TempProject("configured-data");
        WriteStep();

        using var cli = OrchestProcess.Start(["run", _project.Root, "--json"], workingDirectory: null,
            new Dictionary<string, string> { ["ORCHEST_DATA_DIR"] = elsewhere.Root });
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, $"exit {exitCode}\n{cli}");
        Assert.Equal("from the step\n", File.ReadAllText(Path.Combine(elsewhere.Root, _file)));
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
        var log = (string)JsonNode.Parse(cli.Output)!["steps"]![0]!["log"]!;
        Assert.Equal($"data dir {await ExpectedDataDirectory.SeenByStepsAsync(expected)}\n", File.ReadAllText(log));
        Assert.Equal("from the step\n", File.ReadAllText(Path.Combine(expected, _file)));
    }

    [Fact]
    public async Task Run_UnmodifiedNotebookWritingSlashData_WritesIntoTheDataFolderAndNeverCreatesSlashData()
    {
        // Orchest notebooks hard-code /data (7 of 18 real projects). Under bubblewrap (installed by the
        // test command; this test fails where it cannot run) they work unchanged, and nothing a run does,
        // even as root, leaves /data (or any other folder) on the machine's root.
        var before = RootState();
        var rootFolder = $"/made-by-a-step-{Guid.NewGuid():n}";
        var notebook = new NotebookBuilder()
            .Code("import json, os\nos.makedirs('/data/results', exist_ok=True)\njson.dump({'accuracy': 0.93}, open('/data/x.json', 'w'))\nprint(sorted(os.listdir('/data')))");
        _project.Write("analysis.ipynb", notebook.ToJson());
        _project.WritePipeline(new PipelineBuilder()
            .Step("Analysis", "analysis.ipynb")
            .Step("Root", "root.sh", $"mkdir -p /data/from-shell {rootFolder} && touch /data/from-shell/done && echo made\n"));
        using var elsewhere = new TempProject("notebook-data");

        var result = await OrchestCli.RunJsonAsync(_project, "--data-dir", elsewhere.Root, "--sandbox", "bubblewrap");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("{\"accuracy\": 0.93}", File.ReadAllText(Path.Combine(elsewhere.Root, "x.json")));
        Assert.True(Directory.Exists(Path.Combine(elsewhere.Root, "results")));
        Assert.True(File.Exists(Path.Combine(elsewhere.Root, "from-shell", "done")));
        Assert.Equal(before, RootState());
        Assert.False(Directory.Exists(rootFolder));
    }

    /// <summary>Whether /data exists on the machine and what it holds (a run must change neither).</summary>
    private static string RootState() =>
        Directory.Exists("/data") ? "exists: " + string.Join(",", Directory.EnumerateFileSystemEntries("/data").Order(StringComparer.Ordinal)) : "absent";

    private void WriteStep() => _project.WritePipeline(new PipelineBuilder().Step(
        "Write", "write.sh", $"echo \"data dir $ORCHEST_DATA_DIR\"\necho 'from the step' > \"$ORCHEST_DATA_DIR/{_file}\"\n"));

    public void Dispose() => _project.Dispose();
}
