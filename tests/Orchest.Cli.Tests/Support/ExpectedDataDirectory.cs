namespace Orchest.Cli.Tests.Support;

/// <summary>What the CLI chooses as the shared data folder when --data-dir is not given (README: /data if writable).</summary>
internal static class ExpectedDataDirectory
{
    public static string For(string projectRoot) =>
        IsWritable("/data") ? "/data" : Path.Combine(projectRoot, ".orchest", "data");

    private static bool IsWritable(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return false;
        }

        var probe = Path.Combine(directory, $".cli-tests-probe-{Guid.NewGuid():n}");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
