using LibGit2Sharp;

namespace Orchest.Git;

/// <summary>What a push changed and the files it declares, read from the mirror (never from a webhook payload).</summary>
public sealed partial class ProjectMirrors
{
    /// <summary>
    /// The paths that differ between <paramref name="before"/> and <paramref name="after"/> (added, changed, deleted,
    /// both names of a rename). With no <paramref name="before"/> (a new branch: all zeros) or one the mirror does not
    /// hold (a force push), every file of <paramref name="after"/>.
    /// </summary>
    /// <exception cref="GitRefNotFoundException">The repository has no commit <paramref name="after"/>.</exception>
    public async Task<IReadOnlyList<string>> ChangedPathsAsync(string projectId, string? before, string after, CancellationToken cancellationToken = default)
    {
        await EnsureCommitAsync(projectId, after, cancellationToken);
        using var repository = Open(projectId);
        var target = repository.Lookup<Commit>(new ObjectId(after));
        var origin = before is { Length: 40 } sha && FolderNames.IsFullSha(sha) && sha.Any(c => c != '0')
            ? repository.Lookup<Commit>(new ObjectId(sha.ToLowerInvariant()))
            : null;
        if (origin is null)
        {
            return AllFiles(target.Tree, "").ToList();
        }

        using var changes = repository.Diff.Compare<TreeChanges>(origin.Tree, target.Tree);
        return changes.SelectMany(c => c.OldPath == c.Path ? [c.Path] : new[] { c.OldPath, c.Path })
            .Select(p => p.Replace('\\', '/'))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The files directly in <paramref name="folder"/> at <paramref name="commit"/> whose names end with <paramref name="extension"/>, by path.</summary>
    /// <exception cref="GitRefNotFoundException">The repository has no commit <paramref name="commit"/>.</exception>
    public async Task<IReadOnlyDictionary<string, string>> ReadFolderAsync(
        string projectId, string commit, string folder, string extension, CancellationToken cancellationToken = default)
    {
        await EnsureCommitAsync(projectId, commit, cancellationToken);
        using var repository = Open(projectId);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (repository.Lookup<Commit>(new ObjectId(commit))[folder]?.Target is not Tree tree)
        {
            return files;
        }

        foreach (var entry in tree.Where(e => e.TargetType == TreeEntryTargetType.Blob && e.Name.EndsWith(extension, StringComparison.Ordinal)))
        {
            files[folder + "/" + entry.Name] = ((Blob)entry.Target).GetContentText();
        }

        return files;
    }

    private static IEnumerable<string> AllFiles(Tree tree, string prefix)
    {
        foreach (var entry in tree)
        {
            if (entry.Target is Tree child)
            {
                foreach (var path in AllFiles(child, prefix + entry.Name + "/"))
                {
                    yield return path;
                }
            }
            else
            {
                yield return prefix + entry.Name;
            }
        }
    }
}
