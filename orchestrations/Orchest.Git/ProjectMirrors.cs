using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchest.Git;

/// <summary>
/// One bare mirror per project under <c>&lt;cache&gt;/mirrors/&lt;project&gt;.git</c>: cloned on first use,
/// fetched on demand (at most once per freshness window, one fetch at a time per mirror across the
/// threads and processes of this machine), and the place refs are resolved to commits.
/// </summary>
public sealed partial class ProjectMirrors
{
    private readonly IProjectRepositories _projects;
    private readonly GitCredentials _credentials;
    private readonly GitProjectOptions _options;
    private readonly ILogger _logger;

    public ProjectMirrors(IProjectRepositories projects, GitCredentials credentials, IOptions<GitProjectOptions> options, ILogger<ProjectMirrors> logger)
    {
        _projects = projects;
        _credentials = credentials;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// The commit sha <paramref name="reference"/> names: a branch, a tag, a full ref name
    /// (<c>refs/...</c>), a full or abbreviated (4+ hex digits) sha; empty means the project's branch.
    /// Branches and tags are fetched first unless the mirror is fresh; an unknown ref triggers one more fetch.
    /// </summary>
    /// <exception cref="GitRefNotFoundException">Nothing in the repository has that name, or the name is invalid or ambiguous.</exception>
    /// <exception cref="GitRepositoryException">The repository could not be cloned or fetched.</exception>
    public async Task<string> ResolveAsync(string projectId, string? reference, CancellationToken cancellationToken = default)
    {
        FolderNames.Require(projectId, "project id");
        var source = await FindSourceAsync(projectId, cancellationToken);
        var wanted = string.IsNullOrWhiteSpace(reference) ? source.Branch : reference.Trim();
        if (string.IsNullOrEmpty(wanted))
        {
            throw new GitRefNotFoundException(projectId, "", $"No ref given and project {projectId} has no branch.", isInvalid: true);
        }

        if (FolderNames.IsFullSha(wanted))
        {
            var commit = wanted.ToLowerInvariant();
            await EnsureCommitAsync(projectId, commit, cancellationToken);
            return commit;
        }

        var isHex = wanted.Length >= 4 && wanted.All(char.IsAsciiHexDigit);
        if (!isHex && !Reference.IsValidName(wanted.StartsWith("refs/", StringComparison.Ordinal) ? wanted : "refs/heads/" + wanted))
        {
            throw new GitRefNotFoundException(projectId, wanted, $"\"{wanted}\" is not a valid branch, tag or commit name.", isInvalid: true);
        }

        var started = DateTime.UtcNow;
        await SyncAsync(projectId, source, started - _options.FetchFreshness, cancellationToken);
        var sha = TryResolve(projectId, wanted);
        if (sha is null)
        {
            // Pushed within the freshness window? Fetch once more unless someone fetched since we started.
            await SyncAsync(projectId, source, started, cancellationToken);
            sha = TryResolve(projectId, wanted);
        }

        if (sha is null)
        {
            throw new GitRefNotFoundException(
                projectId, wanted, $"Project {projectId} has no branch, tag or commit named \"{wanted}\".");
        }

        Logs.RefResolved(_logger, projectId, wanted, sha);
        return sha;
    }

    /// <summary>Fetches now unless the mirror was fetched within the freshness window (clones it if missing).</summary>
    public async Task FetchAsync(string projectId, CancellationToken cancellationToken = default)
    {
        FolderNames.Require(projectId, "project id");
        var source = await FindSourceAsync(projectId, cancellationToken);
        await SyncAsync(projectId, source, DateTime.UtcNow - _options.FetchFreshness, cancellationToken);
    }

    /// <summary>Makes sure the mirror holds <paramref name="commit"/> (cloning or fetching once if not).</summary>
    /// <exception cref="GitRefNotFoundException">The repository has no such commit (reachable from a branch or tag).</exception>
    internal async Task EnsureCommitAsync(string projectId, string commit, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        if (HasCommit(projectId, commit))
        {
            return;
        }

        Logs.CommitMissing(_logger, projectId, commit);
        var source = await FindSourceAsync(projectId, cancellationToken);
        await SyncAsync(projectId, source, started, cancellationToken);
        if (!HasCommit(projectId, commit))
        {
            throw new GitRefNotFoundException(
                projectId, commit, $"Project {projectId}'s repository has no commit {commit} on any branch or tag.");
        }
    }

    /// <summary>Opens the project's mirror (it must exist: resolve or ensure a commit first).</summary>
    internal Repository Open(string projectId) => new(MirrorPath(projectId));

    internal string MirrorPath(string projectId) => Path.Combine(_options.MirrorsDirectory, projectId + ".git");

    private bool HasCommit(string projectId, string commit)
    {
        if (!Directory.Exists(MirrorPath(projectId)))
        {
            return false;
        }

        using var repository = Open(projectId);
        return repository.Lookup<Commit>(new ObjectId(commit)) is not null;
    }

    private string? TryResolve(string projectId, string wanted)
    {
        using var repository = Open(projectId);
        string[] names = wanted.StartsWith("refs/", StringComparison.Ordinal)
            ? [wanted]
            : ["refs/heads/" + wanted, "refs/tags/" + wanted];
        foreach (var name in names)
        {
            if (repository.Refs[name]?.ResolveToDirectReference()?.Target?.Peel<Commit>() is { } commit)
            {
                return commit.Sha;
            }
        }

        if (wanted.Length >= 4 && wanted.All(char.IsAsciiHexDigit))
        {
            try
            {
                return repository.Lookup<Commit>(wanted)?.Sha;
            }
            catch (AmbiguousSpecificationException)
            {
                throw new GitRefNotFoundException(
                    projectId, wanted, $"\"{wanted}\" matches several commits of project {projectId}; give more digits.", isInvalid: true);
            }
        }

        return null;
    }

    private async Task<ProjectSource> FindSourceAsync(string projectId, CancellationToken cancellationToken) =>
        await _projects.FindAsync(projectId, cancellationToken)
        ?? throw new GitRepositoryException(projectId, $"Project {projectId} is not registered.");
}
