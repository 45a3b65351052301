using Orchest.Runners.Process;

namespace Orchest.Cli.Tests.Support;

/// <summary>Where the CLI puts the shared data folder (README: --data-dir, ORCHEST_DATA_DIR, else the project's .orchest/data) and where steps see it.</summary>
internal static class ExpectedDataDirectory
{
    public static string For(string projectRoot) => Path.Combine(projectRoot, ".orchest", "data");

    /// <summary><c>/data</c> where process steps run sandboxed (bubblewrap works here), else the folder itself.</summary>
    public static async Task<string> SeenByStepsAsync(string folder) =>
        await new ProcessStepRunner(new ProcessRunnerOptions()).SandboxProblemAsync() is null ? "/data" : folder;
}
