using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>samples/quickstart, copied to a temp folder (the repository stays clean), runs to SUCCESS.</summary>
public sealed class QuickstartTests : IDisposable
{
    private readonly TempProject _project = new("quickstart");

    [Fact]
    public async Task Run_QuickstartCopy_SucceedsAndWritesItsReport()
    {
        CopySample(Path.Combine(Repository.Root, "samples", "quickstart"), _project.Root);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("SUCCESS", result.Status);
        Assert.Equal(
            ["Check input", "Load and clean", "Morphology features", "Mass features", "Train and report"],
            result.StepTitles);
        Assert.All(result.Steps, s => Assert.Equal("SUCCESS", (string)s["status"]!));
        var report = File.ReadAllText(Path.Combine(ExpectedDataDirectory.For(_project.Root), "quickstart-report.md"));
        Assert.StartsWith("# Penguins of the Palmer archipelago (synthetic)\n", report, StringComparison.Ordinal);
        Assert.Matches(@"Nearest-centroid accuracy on a 30% hold-out: \d+\.\d%\.", report);
        var seen = await ExpectedDataDirectory.SeenByStepsAsync(ExpectedDataDirectory.For(_project.Root));
        Assert.Contains($"report written to {Path.Combine(seen, "quickstart-report.md")}", result.Log("Train and report"), StringComparison.Ordinal);
    }

    /// <summary>The sample's own files only: runtime folders a local run left under .orchest are not part of it.</summary>
    private static void CopySample(string from, string to)
    {
        string[] runtime = [".orchest/pipelines", ".orchest/runs", ".orchest/data", ".orchest/.gitignore"];
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (runtime.Any(r => relative == r || relative.StartsWith(r + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => _project.Dispose();
}
