using Orchest.Runners.Process;

namespace Orchest.Runners.Tests;

/// <summary>
/// One C# build cache for every test of the collection (a first build takes seconds; tests that run
/// the same step file share it), in a temp folder deleted at the end, never the user's cache.
/// </summary>
public sealed class CSharpStepsFixture : IDisposable
{
    public string CacheDirectory { get; } = Path.Combine(Path.GetTempPath(), "orchest-tests", $"csharp-cache-{Guid.NewGuid():n}");

    /// <summary>The repository's Python step SDK (the test output does not ship one).</summary>
    public static string PythonSdkPath { get; } = FindPythonSdk();

    public ProcessRunnerOptions Options() => new()
    {
        CSharpCacheDirectory = CacheDirectory,
        PythonSdkPath = PythonSdkPath,
        KillGracePeriod = TimeSpan.FromMilliseconds(500),
    };

    public void Dispose()
    {
        if (Directory.Exists(CacheDirectory))
        {
            Directory.Delete(CacheDirectory, recursive: true);
        }
    }

    private static string FindPythonSdk()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchest.Functions.sln")))
            {
                return Path.Combine(dir.FullName, "sdk", "python");
            }
        }

        throw new InvalidOperationException($"No Orchest.Functions.sln above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class CSharpStepsCollection : ICollectionFixture<CSharpStepsFixture>
{
    public const string Name = "C# steps";
}
