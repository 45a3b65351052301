using System.Diagnostics;

namespace Orchest.Runners.Process;

/// <summary>
/// The step sandbox (Debian's <c>bubblewrap</c>, no root needed where unprivileged user namespaces
/// are allowed). Why a pid namespace rather than a child subreaper or a cgroup per step:
/// <list type="bullet">
/// <item>The kernel keeps every descendant of the step inside it (setsid, double forks, a cleared
/// environment change nothing), and with <c>--die-with-parent</c> the whole namespace is killed when
/// the step's main process exits, or when this host dies, even by SIGKILL.</item>
/// <item>A subreaper only changes who inherits orphans: it finds no process by itself, and makes
/// this .NET process responsible for reaping children it never started (.NET's SIGCHLD handling
/// reaps only its own Process objects, so they would pile up as zombies).</item>
/// <item>A cgroup per step needs a writable, delegated cgroup tree: root or systemd, neither of
/// which a CLI user or a container can count on.</item>
/// <item>The same mount namespace gives Orchest's <c>/data</c> without root.</item>
/// </list>
/// The root of the sandbox is a fresh tmpfs holding a bind mount of every top-level entry of the
/// real root except <c>/data</c> and <c>/proc</c> (not <c>--dev-bind / /</c>, which would make
/// bubblewrap create an empty <c>/data</c> on the real root as the mount point): so no run ever
/// creates <c>/data</c> on the machine, and a step running as root that creates folders at the root
/// creates them in the sandbox only.
/// </summary>
internal static class Bubblewrap
{
    /// <summary>Where steps see the data folder.</summary>
    public const string DataMountPoint = "/data";

    private static readonly Lazy<Task<string?>> Probe = new(ProbeAsync);

    /// <summary>
    /// The top-level entries of the real root but <c>/proc</c> and <c>/data</c>, with their link targets (merged-/usr
    /// systems link /bin, /lib, ... into /usr: links stay links). Read once per process, not per step:
    /// the root's top level does not change while orchest runs.
    /// </summary>
    private static readonly Lazy<IReadOnlyList<(string Entry, string? Link)>> RootEntries = new(() =>
        Directory.EnumerateFileSystemEntries("/").Order(StringComparer.Ordinal)
            .Where(entry => entry != "/proc" && entry != DataMountPoint)
            .Select(entry => (entry, new FileInfo(entry).LinkTarget))
            .ToList());

    public static string? Executable { get; } = Executables.Find("bwrap");

    /// <summary>Null when sandboxes work here; otherwise why not, in words a user can act on.</summary>
    public static Task<string?> ProblemAsync() => Probe.Value;

    /// <summary>
    /// The bwrap arguments before the step's command. <paramref name="mountData"/> false keeps the
    /// real <c>/data</c> (the project itself lives there): the data folder is then only in ORCHEST_DATA_DIR.
    /// </summary>
    public static List<string> Arguments(string dataDirectory, string workingDirectory, bool mountData)
    {
        var arguments = new List<string>();
        foreach (var (entry, link) in RootEntries.Value)
        {
            AddRootEntry(arguments, entry, link);
        }

        // The real /data is looked at on every launch (it may come and go while orchest runs).
        if (!mountData && Path.Exists(DataMountPoint))
        {
            AddRootEntry(arguments, DataMountPoint, new FileInfo(DataMountPoint).LinkTarget);
        }

        if (mountData)
        {
            arguments.AddRange(["--bind", dataDirectory, DataMountPoint]);
        }

        arguments.AddRange(["--proc", "/proc", "--unshare-pid", "--die-with-parent", "--chdir", workingDirectory, "--"]);
        return arguments;
    }

    private static void AddRootEntry(List<string> arguments, string entry, string? link) =>
        arguments.AddRange(link is null ? ["--dev-bind", entry, entry] : ["--symlink", link, entry]);

    private static async Task<string?> ProbeAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "bubblewrap sandboxes exist only on Linux";
        }

        if (Executable is null)
        {
            return "bubblewrap is not installed (apt-get install bubblewrap)";
        }

        var data = Directory.CreateTempSubdirectory("orchest-bwrap-probe-");
        try
        {
            var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in Arguments(data.FullName, "/", mountData: true))
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(Executables.Find("true") ?? "/bin/true");
            using var process = new System.Diagnostics.Process { StartInfo = start };
            await ProcessSpawner.StartAsync(process);
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return "bubblewrap did not start a sandbox within 10 s";
            }

            var reason = (await error).Trim();
            return process.ExitCode == 0 ? null : $"bubblewrap cannot create a sandbox here ({(reason.Length > 0 ? reason : $"exit {process.ExitCode}")})";
        }
        catch (Exception ex) when (ex is IOException or System.ComponentModel.Win32Exception)
        {
            return $"bubblewrap cannot be started: {ex.Message}";
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
