namespace Orchest.Testing;

/// <summary>Snapshots of what a command left in a project, to prove that nothing was written.</summary>
public static class TempProjectEntries
{
    /// <summary>Every folder and file below the project's .orchest folder ("d " or "f " + path), or nothing when it does not exist.</summary>
    public static IReadOnlyList<string> OrchestEntries(this TempProject project) =>
        Directory.Exists(project.OrchestDirectory)
            ? Directory.EnumerateFileSystemEntries(project.OrchestDirectory, "*", SearchOption.AllDirectories)
                .Select(p => (Directory.Exists(p) ? "d " : "f ") + Path.GetRelativePath(project.Root, p))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>Every file of the project outside .orchest (step files, pipelines, what steps wrote beside them).</summary>
    public static IReadOnlyList<string> ProjectFiles(this TempProject project) =>
        Directory.EnumerateFiles(project.Root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(project.Root, p))
            .Where(p => !p.StartsWith(".orchest/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
}
