namespace Orchest.Testing;

/// <summary>Finds the built <c>orchest</c> executable (functions/Orchest.Cli) for tests that start real hosts.</summary>
public static class OrchestBinary
{
    /// <summary>
    /// The CLI built with this test assembly's configuration (<c>bin/&lt;cfg&gt;/net10.0</c>), else the newest build;
    /// a test project gets it built first with a <c>ProjectReference ReferenceOutputAssembly="false"</c>.
    /// </summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        var root = RepositoryRoot();
        var bin = System.IO.Path.Combine(root, "functions", "Orchest.Cli", "bin");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent?.Name;
        var same = System.IO.Path.Combine(bin, configuration ?? "Debug", "net10.0", "orchest");
        if (File.Exists(same))
        {
            return same;
        }

        var newest = Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, "orchest", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException($"The orchest executable is not under {bin}: build functions/Orchest.Cli.");
    }

    /// <summary>The folder holding Orchest.Functions.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Orchest.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Orchest.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
