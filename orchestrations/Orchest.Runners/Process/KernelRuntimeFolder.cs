namespace Orchest.Runners.Process;

/// <summary>
/// Where a notebook step's kernel keeps its connection files (<c>JUPYTER_RUNTIME_DIR</c>): a folder of
/// the step attempt's own, made by this host and removed once the step's processes are gone. The
/// notebook runner removes a folder it made itself only when it gets to clean up; one stopped with KILL
/// (a kernel that ignores TERM outlasting the grace period) left its folder in the temp folder.
/// </summary>
internal sealed class KernelRuntimeFolder : IDisposable
{
    public const string Variable = "JUPYTER_RUNTIME_DIR";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("orchest-kernel-");

    public string Path => _folder.FullName;

    public void Dispose()
    {
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Already gone, or a process that outlived its KILL still writes there: the temp folder's own clean-up takes it.
        }
    }
}
