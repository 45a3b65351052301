namespace Orchest.Cli.Tests.Support;

/// <summary>The repository this test assembly was built from (for samples and the CLI's build output).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchest.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Orchest.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
