namespace Orchest.Git;

/// <summary>
/// What a served run's <c>RunDefinition.Workspace</c> holds: <c>git:&lt;projectId&gt;@&lt;commit sha&gt;</c>.
/// Any host can turn it into files (mirror, materialised commit, working copy); it holds no URL or credential.
/// </summary>
public readonly record struct GitWorkspaceReference
{
    public const string Prefix = "git:";

    public GitWorkspaceReference(string projectId, string commit)
    {
        ProjectId = FolderNames.IsSafe(projectId)
            ? projectId
            : throw new FormatException($"\"{projectId}\" is not a valid project id for a git workspace.");
        Commit = FolderNames.IsFullSha(commit)
            ? commit.ToLowerInvariant()
            : throw new FormatException($"\"{commit}\" is not a full commit sha (40 hex digits).");
    }

    public string ProjectId { get; }

    public string Commit { get; }

    public static string Format(string projectId, string commit) => new GitWorkspaceReference(projectId, commit).ToString();

    /// <exception cref="FormatException"><paramref name="workspace"/> is not <c>git:&lt;projectId&gt;@&lt;sha&gt;</c>.</exception>
    public static GitWorkspaceReference Parse(string workspace)
    {
        var at = workspace.LastIndexOf('@');
        if (!workspace.StartsWith(Prefix, StringComparison.Ordinal) || at < 0)
        {
            throw new FormatException($"Workspace \"{workspace}\" is not a git workspace reference (git:<projectId>@<commit sha>).");
        }

        return new GitWorkspaceReference(workspace[Prefix.Length..at], workspace[(at + 1)..]);
    }

    public static bool TryParse(string? workspace, out GitWorkspaceReference reference)
    {
        try
        {
            reference = Parse(workspace ?? "");
            return true;
        }
        catch (FormatException)
        {
            reference = default;
            return false;
        }
    }

    public override string ToString() => $"{Prefix}{ProjectId}@{Commit}";
}
