using Orchest.Engine.Projects;

namespace Orchest.Cli;

/// <summary>
/// Where steps' shared data folder (Orchest's /data) is in embedded mode: chosen from flags and
/// configuration only, never from what happens to exist on the machine (a /data that some step
/// created must not silently become every later run's data folder).
/// </summary>
internal static class DataDirectories
{
    /// <summary>The variable that configures the data folder when <c>--data-dir</c> is not given.</summary>
    public const string Variable = "ORCHEST_DATA_DIR";

    /// <summary><c>--data-dir</c>, else <c>ORCHEST_DATA_DIR</c>, else <c>&lt;project&gt;/.orchest/data</c>; relative paths are seen from the current folder.</summary>
    public static string Choose(string? flag, ProjectFolder project)
    {
        var chosen = flag ?? Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrEmpty(chosen) ? Path.Combine(project.OrchestDirectory, "data") : Path.GetFullPath(chosen);
    }
}
