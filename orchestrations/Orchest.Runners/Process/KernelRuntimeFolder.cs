using System.Globalization;

namespace Orchest.Runners.Process;

/// <summary>
/// Where a notebook step's kernel keeps its connection files (<c>JUPYTER_RUNTIME_DIR</c>): a folder of
/// the step attempt's own, made by this host and removed once the step's processes are gone. The
/// notebook runner removes a folder it made itself only when it gets to clean up; one stopped with KILL
/// (a kernel that ignores TERM outlasting the grace period) left its folder in the temp folder. A host
/// killed itself leaves the folders of its running notebook steps: a folder's name says which process
/// made it (pid and start time, so a reused pid is not taken for it), and the first folder a host makes
/// sweeps those of processes that are gone.
/// </summary>
internal sealed class KernelRuntimeFolder : IDisposable
{
    public const string Variable = "JUPYTER_RUNTIME_DIR";

    private const string Prefix = "orchest-kernel-h";

    /// <summary>This process as a folder name says it ("&lt;pid&gt;.&lt;start time&gt;"); null where /proc cannot tell.</summary>
    private static readonly string? Self = Owner(Environment.ProcessId);

    private static readonly Lazy<int> Swept = new(() => SweepOrphans(System.IO.Path.GetTempPath()));

    private readonly DirectoryInfo _folder;

    public KernelRuntimeFolder()
    {
        _ = Swept.Value;
        _folder = Directory.CreateTempSubdirectory(Self is null ? "orchest-kernel-" : Prefix + Self + "-");
    }

    public string Path => _folder.FullName;

    public void Dispose() => Delete(_folder);

    /// <summary>
    /// Deletes the runtime folders in <paramref name="tempRoot"/> made by processes that are gone. Folders
    /// the notebook runner made without a host say no process and stay. Returns how many it deleted.
    /// </summary>
    internal static int SweepOrphans(string tempRoot)
    {
        var deleted = 0;
        if (Self is null)
        {
            return deleted;
        }

        try
        {
            foreach (var folder in new DirectoryInfo(tempRoot).EnumerateDirectories(Prefix + "*"))
            {
                var name = folder.Name[Prefix.Length..];
                var dash = name.IndexOf('-', StringComparison.Ordinal);
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && dash > dot && int.TryParse(name[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && Owner(pid) != name[..dash] && Delete(folder))
                {
                    deleted++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp folder that cannot be listed: nothing to sweep here.
        }

        return deleted;
    }

    /// <summary>"&lt;pid&gt;.&lt;start time&gt;" of a running process; null when it is gone (or a zombie).</summary>
    internal static string? Owner(int pid) =>
        ProcDirectory.Exists && ProcDirectory.ReadStat(pid) is { State: not 'Z' and not 'X' } entry
            ? string.Create(CultureInfo.InvariantCulture, $"{pid}.{entry.StartTime}")
            : null;

    private static bool Delete(DirectoryInfo folder)
    {
        try
        {
            folder.Delete(recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Already gone, or a process that outlived its KILL still writes there: the temp folder's own clean-up takes it.
            return false;
        }
    }
}
