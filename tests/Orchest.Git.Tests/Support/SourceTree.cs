namespace Orchest.Git.Tests.Support;

/// <summary>The repository this test runs from (for samples/).</summary>
public static class SourceTree
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Orchest.Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Orchest.Functions.sln not found above the test folder.");
    }
}
