using System.Diagnostics;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchest.Git;

/// <summary>
/// Each commit's tree written once per machine to <c>&lt;cache&gt;/commits/&lt;sha&gt;/</c> (no <c>.git</c>
/// inside), built in a temp folder and renamed into place under a per-commit lock, so readers see the
/// whole tree or nothing and concurrent callers (threads or processes) reuse the first one's result.
/// </summary>
public sealed class MaterialisedCommits
{
    private readonly ProjectMirrors _mirrors;
    private readonly GitProjectOptions _options;
    private readonly ILogger _logger;

    public MaterialisedCommits(ProjectMirrors mirrors, IOptions<GitProjectOptions> options, ILogger<MaterialisedCommits> logger)
    {
        _mirrors = mirrors;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The folder holding <paramref name="commit"/>'s files, writing it first if this machine has not yet.</summary>
    /// <exception cref="GitRefNotFoundException">The project's repository has no such commit.</exception>
    /// <exception cref="GitRepositoryException">The repository could not be fetched, or its tree cannot be checked out.</exception>
    public async Task<MaterialisedCommit> MaterialiseAsync(string projectId, string commit, CancellationToken cancellationToken = default)
    {
        FolderNames.Require(projectId, "project id");
        if (!FolderNames.IsFullSha(commit))
        {
            throw new ArgumentException($"\"{commit}\" is not a full commit sha (40 hex digits); resolve refs with {nameof(ProjectMirrors)} first.", nameof(commit));
        }

        commit = commit.ToLowerInvariant();
        var directory = Path.Combine(_options.CommitsDirectory, commit);
        if (Directory.Exists(directory))
        {
            return new MaterialisedCommit(commit, directory, Created: false);
        }

        using var held = await ProjectMirrors.AcquireLockAsync(_options, $"commit-{commit}", cancellationToken);
        if (Directory.Exists(directory))
        {
            return new MaterialisedCommit(commit, directory, Created: false);
        }

        await _mirrors.EnsureCommitAsync(projectId, commit, cancellationToken);
        var watch = Stopwatch.StartNew();
        var temp = Path.Combine(_options.CommitsDirectory, $".tmp-{commit}-{Guid.NewGuid():n}");
        try
        {
            var files = await Task.Run(() => WriteTree(projectId, commit, temp, cancellationToken), cancellationToken);
            Directory.Move(temp, directory);
            Logs.CommitMaterialised(_logger, projectId, commit, files, watch.ElapsedMilliseconds);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                WorkingCopy.Delete(temp);
            }
        }

        return new MaterialisedCommit(commit, directory, Created: true);
    }

    private int WriteTree(string projectId, string commit, string temp, CancellationToken cancellationToken)
    {
        using var repository = _mirrors.Open(projectId);
        var tree = repository.Lookup<Commit>(new ObjectId(commit)).Tree;
        try
        {
            return TreeWriter.Write(tree, temp, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new GitRepositoryException(projectId, $"Project {projectId}: commit {commit} cannot be checked out: {e.Message}");
        }
    }
}
