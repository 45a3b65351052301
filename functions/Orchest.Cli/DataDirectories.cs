using Orchest.Engine.Projects;

namespace Orchest.Cli;

/// <summary>Where steps' shared data folder (Orchest's /data) is in embedded mode.</summary>
internal static class DataDirectories
{
    /// <summary><c>/data</c> when it exists and is writable (Orchest notebooks use it), else <c>&lt;project&gt;/.orchest/data</c>.</summary>
    public static string Default(ProjectFolder project) =>
        IsWritableDirectory("/data") ? "/data" : Path.Combine(project.OrchestDirectory, "data");

    private static bool IsWritableDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            return false;
        }

        try
        {
            var probe = Path.Combine(path, $".orchest-probe-{Guid.NewGuid():n}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
