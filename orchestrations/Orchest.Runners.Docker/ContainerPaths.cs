using Orchest.Engine.Ports;

namespace Orchest.Runners.Docker;

/// <summary>
/// The bind mounts of a step container and the host -> container path mapping they imply: the run's
/// working copy at <c>/project-dir</c>, the data folder at <c>/data</c>, and any folder the step needs
/// outside both (engine files, output sets of another store) at <c>/orchest/host/&lt;host path&gt;</c>.
/// </summary>
internal sealed class ContainerPaths
{
    public const string ProjectDir = "/project-dir";
    public const string DataDir = "/data";
    public const string HostPrefix = "/orchest/host";

    private readonly List<BindMount> _mounts = [];

    private ContainerPaths()
    {
    }

    public IReadOnlyList<BindMount> Mounts => _mounts;

    /// <summary>Every folder a step needs, mounted; input output sets read-only.</summary>
    public static ContainerPaths For(StepLaunch launch)
    {
        var paths = new ContainerPaths();
        paths._mounts.Add(new BindMount(Normalize(launch.WorkspaceRoot), ProjectDir, ReadOnly: false));
        paths._mounts.Add(new BindMount(Normalize(launch.DataDirectory), DataDir, ReadOnly: false));
        foreach (var folder in new[]
                 {
                     Path.GetDirectoryName(launch.PipelineFile), Path.GetDirectoryName(launch.ContextFile),
                     Path.GetDirectoryName(launch.ExecutedNotebookPath), launch.Context.Output.Path,
                 })
        {
            paths.AddIfOutside(folder, readOnly: false);
        }

        foreach (var input in launch.Context.Inputs)
        {
            paths.AddIfOutside(input.Location is { Kind: "dir" } location ? location.Path : null, readOnly: true);
        }

        return paths;
    }

    /// <summary>Where <paramref name="hostPath"/> is inside the container (the most specific mount wins).</summary>
    public string Map(string hostPath)
    {
        var path = Normalize(hostPath);
        BindMount? best = null;
        foreach (var mount in _mounts)
        {
            if (Contains(mount.HostPath, path) && (best is null || mount.HostPath.Length > best.HostPath.Length))
            {
                best = mount;
            }
        }

        if (best is null)
        {
            throw new InvalidOperationException($"{hostPath} is not inside any folder mounted into the step container.");
        }

        var rest = path.Length == best.HostPath.Length ? "" : path[best.HostPath.Length..].TrimStart('/');
        return rest.Length == 0 ? best.ContainerPath : best.ContainerPath.TrimEnd('/') + "/" + rest;
    }

    public bool IsMounted(string hostPath) => _mounts.Any(m => Contains(m.HostPath, Normalize(hostPath)));

    /// <summary>Docker's <c>Binds</c> syntax.</summary>
    public IList<string> Binds() => _mounts.Select(m => $"{m.HostPath}:{m.ContainerPath}:{(m.ReadOnly ? "ro" : "rw")}").ToList();

    private void AddIfOutside(string? folder, bool readOnly)
    {
        if (string.IsNullOrEmpty(folder) || IsMounted(folder))
        {
            return;
        }

        var host = Normalize(folder);
        _mounts.RemoveAll(m => m.ContainerPath.StartsWith(HostPrefix, StringComparison.Ordinal) && Contains(host, m.HostPath));
        _mounts.Add(new BindMount(host, HostPrefix + host, readOnly));
    }

    private static bool Contains(string folder, string path) =>
        path == folder || path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);

    private static string Normalize(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
