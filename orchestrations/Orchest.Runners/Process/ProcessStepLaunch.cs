using Orchest.Engine.Ports;

namespace Orchest.Runners.Process;

/// <summary>A launch as the process runner runs it: sandboxed or not, and where the step sees its data folder.</summary>
internal sealed class ProcessStepLaunch
{
    public ProcessStepLaunch(StepLaunch launch, bool sandboxed)
    {
        Launch = launch;
        Sandboxed = sandboxed;
        // A project that itself lives under /data must stay visible: then the data folder is only in ORCHEST_DATA_DIR.
        MountsData = sandboxed && !new[] { launch.WorkspaceRoot, launch.StepFile, launch.WorkingDirectory, launch.ContextFile, launch.ExecutedNotebookPath }
            .Any(IsUnderDataMountPoint);
    }

    public StepLaunch Launch { get; }

    public bool Sandboxed { get; }

    /// <summary>True when the step sees its data folder at <c>/data</c>.</summary>
    public bool MountsData { get; }

    /// <summary>A path as the step sees it (only the data folder moves).</summary>
    public string MapPath(string path) =>
        MountsData && Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(Launch.DataDirectory))
            ? Bubblewrap.DataMountPoint
            : path;

    private static bool IsUnderDataMountPoint(string path)
    {
        var full = Path.GetFullPath(path);
        return full == Bubblewrap.DataMountPoint || full.StartsWith(Bubblewrap.DataMountPoint + "/", StringComparison.Ordinal);
    }
}
