using Orchest.Engine.Runs;
using Orchest.Git.Tests.Support;
using Orchest.Testing;

namespace Orchest.Git.Tests;

public sealed class GitRunWorkspacesTests : IDisposable
{
    private readonly GitOrigin _origin = new();
    private readonly GitSandbox _sandbox = new(o => o.DataDirectory = null);
    private readonly string _project;
    private readonly string _commit;

    public GitRunWorkspacesTests()
    {
        _origin.Write("steps/run.sh", "#!/bin/sh\necho hi\n", executable: true);
        _origin.Write("data.txt", "original");
        _origin.Symlink("run-link", "steps/run.sh");
        _commit = _origin.Commit();
        _project = _sandbox.Register(_origin.Root);
    }

    [Fact]
    public async Task AcquireAsync_NewRun_GivesAWritableCopyWithEngineFolders()
    {
        var (run, definition) = GitSandbox.Run(_project, _commit);

        var workspace = await _sandbox.Workspaces.AcquireAsync(run, definition);

        Assert.Equal(Path.Combine(_sandbox.CacheDirectory, "runs", run.Id), workspace.Root);
        Assert.Equal(Path.Combine(workspace.Root, ".orchest", "runs", run.Id), workspace.ScratchDirectory);
        Assert.Equal(Path.Combine(_sandbox.CacheDirectory, "data"), workspace.DataDirectory);
        Assert.True(Directory.Exists(workspace.DataDirectory));
        Assert.True(File.GetUnixFileMode(Path.Combine(workspace.Root, "data.txt")).HasFlag(UnixFileMode.UserWrite));
        Assert.True(File.GetUnixFileMode(Path.Combine(workspace.Root, "steps/run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("steps/run.sh", new FileInfo(Path.Combine(workspace.Root, "run-link")).LinkTarget);
        Assert.False(Path.Exists(Path.Combine(workspace.Root, ".git")));
    }

    [Fact]
    public async Task AcquireAsync_StepWritesToItsCopy_CommitAndOtherRunsUnchanged()
    {
        var (runA, definitionA) = GitSandbox.Run(_project, _commit);
        var (runB, definitionB) = GitSandbox.Run(_project, _commit);
        var a = await _sandbox.Workspaces.AcquireAsync(runA, definitionA);
        var b = await _sandbox.Workspaces.AcquireAsync(runB, definitionB);

        await File.WriteAllTextAsync(Path.Combine(a.Root, "data.txt"), "changed by run A");
        await File.AppendAllTextAsync(Path.Combine(a.Root, "run-link"), "echo appended through the link\n");
        await File.WriteAllTextAsync(Path.Combine(a.Root, "new.txt"), "new");

        var commit = Path.Combine(_sandbox.CacheDirectory, "commits", _commit);
        Assert.Equal("original", await File.ReadAllTextAsync(Path.Combine(commit, "data.txt")));
        Assert.Equal("#!/bin/sh\necho hi\n", await File.ReadAllTextAsync(Path.Combine(commit, "steps/run.sh")));
        Assert.False(File.Exists(Path.Combine(commit, "new.txt")));
        Assert.Equal("original", await File.ReadAllTextAsync(Path.Combine(b.Root, "data.txt")));
        Assert.Equal("#!/bin/sh\necho hi\n", await File.ReadAllTextAsync(Path.Combine(b.Root, "steps/run.sh")));
        Assert.False(File.Exists(Path.Combine(b.Root, "new.txt")));
    }

    [Fact]
    public async Task AcquireAsync_StepsOfOneRunAtOnce_ShareOneCopy()
    {
        var (run, definition) = GitSandbox.Run(_project, _commit);
        var otherProcess = _sandbox.NewHost().Workspaces;

        var workspaces = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => (i % 2 == 0 ? _sandbox.Workspaces : otherProcess).AcquireAsync(run, definition))));
        await File.WriteAllTextAsync(Path.Combine(workspaces[0].Root, "from-step-1.txt"), "");
        var later = await _sandbox.Workspaces.AcquireAsync(run, definition);

        Assert.Single(workspaces.Select(w => w.Root).Append(later.Root).Distinct());
        Assert.Equal(1, _sandbox.Logs.Count(4008));
        Assert.True(File.Exists(Path.Combine(later.Root, "from-step-1.txt")));
    }

    [Fact]
    public async Task ReleaseAsync_AcquiredRun_RemovesItsCopyAndKeepsTheCommit()
    {
        var (run, definition) = GitSandbox.Run(_project, _commit);
        var workspace = await _sandbox.Workspaces.AcquireAsync(run, definition);

        await _sandbox.Workspaces.ReleaseAsync(run.Id);

        Assert.False(Directory.Exists(workspace.Root));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_sandbox.CacheDirectory, "runs")));
        Assert.True(Directory.Exists(Path.Combine(_sandbox.CacheDirectory, "commits", _commit)));
    }

    [Fact]
    public async Task ReleaseAsync_RunNeverAcquiredHere_DoesNothing()
    {
        await _sandbox.Workspaces.ReleaseAsync("never-acquired");

        Assert.False(Directory.Exists(Path.Combine(_sandbox.CacheDirectory, "runs", "never-acquired")));
    }

    [Fact]
    public async Task RemoveStaleWorkingCopiesAsync_IdleCopies_RemovedAndRecentOnesKept()
    {
        var (crashed, crashedDefinition) = GitSandbox.Run(_project, _commit);
        var (recent, recentDefinition) = GitSandbox.Run(_project, _commit);
        var crashedRoot = (await _sandbox.NewHost().Workspaces.AcquireAsync(crashed, crashedDefinition)).Root;
        var recentRoot = (await _sandbox.NewHost().Workspaces.AcquireAsync(recent, recentDefinition)).Root;
        Directory.SetLastWriteTimeUtc(crashedRoot, DateTime.UtcNow.AddHours(-30));
        var crashedLock = Path.Combine(_sandbox.CacheDirectory, "locks", $"run-{crashed.Id}.lock");
        var recentLock = Path.Combine(_sandbox.CacheDirectory, "locks", $"run-{recent.Id}.lock");
        File.SetLastWriteTimeUtc(crashedLock, DateTime.UtcNow.AddHours(-30));
        File.SetLastWriteTimeUtc(recentLock, DateTime.UtcNow.AddHours(-30));

        var removed = await _sandbox.Workspaces.RemoveStaleWorkingCopiesAsync(TimeSpan.FromHours(24));

        Assert.Equal(1, removed);
        Assert.False(Directory.Exists(crashedRoot));
        Assert.True(Directory.Exists(recentRoot));
        Assert.False(File.Exists(crashedLock));
        Assert.True(File.Exists(recentLock));
    }

    [Fact]
    public async Task RemoveStaleWorkingCopiesAsync_CopyInUseByThisHost_Kept()
    {
        var (run, definition) = GitSandbox.Run(_project, _commit);
        var root = (await _sandbox.Workspaces.AcquireAsync(run, definition)).Root;
        Directory.SetLastWriteTimeUtc(root, DateTime.UtcNow.AddHours(-30));

        Assert.Equal(0, await _sandbox.Workspaces.RemoveStaleWorkingCopiesAsync(TimeSpan.FromHours(24)));
        Assert.True(Directory.Exists(root));
    }

    [Fact]
    public async Task AcquireAsync_FolderWorkspace_ThrowsFormatException()
    {
        var (run, definition) = GitSandbox.Run(_project, _commit);

        var error = await Assert.ThrowsAsync<FormatException>(() =>
            _sandbox.Workspaces.AcquireAsync(run, definition with { Workspace = "/some/project" }));

        Assert.Contains("git:<projectId>@<commit sha>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireAsync_RunRecordsAnotherCommit_Throws()
    {
        var (run, definition) = GitSandbox.Run(_project, _commit);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _sandbox.Workspaces.AcquireAsync(run with { Commit = new string('a', 40) }, definition));
    }

    [Fact]
    public async Task AcquireAsync_UnknownCommit_FailsAndLaterAcquireRetries()
    {
        var (run, definition) = GitSandbox.Run(_project, new string('b', 40));

        await Assert.ThrowsAsync<GitRefNotFoundException>(() => _sandbox.Workspaces.AcquireAsync(run, definition));
        await Assert.ThrowsAsync<GitRefNotFoundException>(() => _sandbox.Workspaces.AcquireAsync(run, definition));
        Assert.False(Directory.Exists(Path.Combine(_sandbox.CacheDirectory, "runs", run.Id)));
    }

    [Fact]
    public async Task AcquireAsync_ConfiguredDataDirectory_IsUsed()
    {
        using var sandbox = new GitSandbox(o => o.DataDirectory = Path.Combine(Path.GetTempPath(), "orchest-tests", $"data-{Guid.NewGuid():n}"));
        var project = sandbox.Register(_origin.Root);
        var (run, definition) = GitSandbox.Run(project, _commit);
        try
        {
            var workspace = await sandbox.Workspaces.AcquireAsync(run, definition);

            Assert.Equal(sandbox.Options.DataDirectory, workspace.DataDirectory);
            Assert.True(Directory.Exists(workspace.DataDirectory));
        }
        finally
        {
            Directory.Delete(sandbox.Options.DataDirectory!, recursive: true);
        }
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        _origin.Dispose();
    }
}
