using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Git;

/// <summary>
/// Served runs' workspaces: a writable copy of the run's commit at <c>&lt;cache&gt;/runs/&lt;run&gt;/</c>,
/// made once per machine and shared by the run's steps here; the commit itself stays pristine.
/// </summary>
public sealed class GitRunWorkspaces : IRunWorkspaces
{
    private readonly MaterialisedCommits _commits;
    private readonly GitProjectOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<RunWorkspace>>> _active = new(StringComparer.Ordinal);

    public GitRunWorkspaces(MaterialisedCommits commits, IOptions<GitProjectOptions> options, ILogger<GitRunWorkspaces> logger)
    {
        _commits = commits;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The run's working copy, created on first use; <c>definition.Workspace</c> is a <see cref="GitWorkspaceReference"/>.</summary>
    public async Task<RunWorkspace> AcquireAsync(RunRecord run, RunDefinition definition, CancellationToken cancellationToken = default)
    {
        var reference = GitWorkspaceReference.Parse(definition.Workspace);
        if (run.Commit is { Length: > 0 } recorded && !recorded.Equals(reference.Commit, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Run {run.Id} records commit {recorded} but its workspace is {reference}.");
        }

        FolderNames.Require(run.Id, "run id");
        var creation = _active.GetOrAdd(run.Id, id => new Lazy<Task<RunWorkspace>>(() => CreateAsync(id, reference)));
        try
        {
            // Shared by every step acquiring at once: one caller's cancellation must not cancel the others'.
            var workspace = await creation.Value.WaitAsync(cancellationToken);
            Directory.SetLastWriteTimeUtc(workspace.Root, DateTime.UtcNow);
            return workspace;
        }
        catch (Exception) when (creation.Value.IsFaulted)
        {
            _active.TryRemove(new KeyValuePair<string, Lazy<Task<RunWorkspace>>>(run.Id, creation));
            throw;
        }
    }

    /// <summary>Deletes the run's working copy on this machine.</summary>
    public async Task ReleaseAsync(string runId, CancellationToken cancellationToken = default)
    {
        FolderNames.Require(runId, "run id");
        _active.TryRemove(runId, out _);
        using var held = await ProjectMirrors.AcquireLockAsync(_options, $"run-{runId}", cancellationToken);
        var root = Path.Combine(_options.RunsDirectory, runId);
        if (Directory.Exists(root) && TryDelete(runId, root))
        {
            Logs.WorkingCopyRemoved(_logger, runId);
        }
    }

    /// <summary>
    /// Removes working copies no step acquired for <paramref name="idleFor"/> (runs that crashed, or ended
    /// on another host), and leftovers of interrupted clones, checkouts and copies. Returns how many runs' copies went.
    /// </summary>
    public async Task<int> RemoveStaleWorkingCopiesAsync(TimeSpan idleFor, CancellationToken cancellationToken = default)
    {
        var now = DateTime.UtcNow;
        var removed = 0;
        foreach (var leftover in new[] { _options.RunsDirectory, _options.CommitsDirectory, _options.MirrorsDirectory }
                     .Where(Directory.Exists)
                     .SelectMany(d => Directory.EnumerateDirectories(d, ".t*"))
                     .Where(d => Path.GetFileName(d).StartsWith(".tmp-", StringComparison.Ordinal) || Path.GetFileName(d).StartsWith(".trash-", StringComparison.Ordinal))
                     .Where(d => now - Directory.GetLastWriteTimeUtc(d) > idleFor)
                     .ToList())
        {
            TryDelete(Path.GetFileName(leftover), leftover);
        }

        if (!Directory.Exists(_options.RunsDirectory))
        {
            return 0;
        }

        foreach (var root in Directory.EnumerateDirectories(_options.RunsDirectory).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var runId = Path.GetFileName(root);
            var idle = now - Directory.GetLastWriteTimeUtc(root);
            if (runId.StartsWith('.') || idle <= idleFor || _active.ContainsKey(runId))
            {
                continue;
            }

            using var held = await ProjectMirrors.AcquireLockAsync(_options, $"run-{runId}", cancellationToken);
            if (Directory.Exists(root) && TryDelete(runId, root))
            {
                Logs.StaleWorkingCopyRemoved(_logger, runId, idle.TotalHours);
                removed++;
            }
        }

        // One lock file per run would pile up: drop those of runs long gone from this machine.
        foreach (var lockFile in Directory.Exists(_options.LocksDirectory) ? Directory.EnumerateFiles(_options.LocksDirectory, "run-*.lock").ToList() : [])
        {
            var runId = Path.GetFileNameWithoutExtension(lockFile)["run-".Length..];
            if (!_active.ContainsKey(runId) && !Directory.Exists(Path.Combine(_options.RunsDirectory, runId))
                && now - File.GetLastWriteTimeUtc(lockFile) > idleFor)
            {
                File.Delete(lockFile);
            }
        }

        return removed;
    }

    private async Task<RunWorkspace> CreateAsync(string runId, GitWorkspaceReference reference)
    {
        var root = Path.Combine(_options.RunsDirectory, runId);
        var workspace = new RunWorkspace(root, Path.Combine(root, ".orchest", "runs", runId), _options.DataRoot);
        Directory.CreateDirectory(workspace.DataDirectory);
        if (Directory.Exists(root))
        {
            return workspace;
        }

        using var held = await ProjectMirrors.AcquireLockAsync(_options, $"run-{runId}", CancellationToken.None);
        if (Directory.Exists(root))
        {
            return workspace;
        }

        var commit = await _commits.MaterialiseAsync(reference.ProjectId, reference.Commit, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var temp = Path.Combine(_options.RunsDirectory, $".tmp-{runId}-{Guid.NewGuid():n}");
        try
        {
            await Task.Run(() => WorkingCopy.Copy(commit.Directory, temp));
            Directory.Move(temp, root);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                WorkingCopy.Delete(temp);
            }
        }

        Logs.WorkingCopyCreated(_logger, runId, commit.Commit, watch.ElapsedMilliseconds);
        return workspace;
    }

    private bool TryDelete(string runId, string path)
    {
        try
        {
            WorkingCopy.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Logs.WorkingCopyRemoveFailed(_logger, runId, e);
            return false;
        }
    }
}
