using System.Diagnostics;
using Orchest.Git.Tests.Support;
using Orchest.Testing;

namespace Orchest.Git.Tests;

public sealed class ProjectMirrorsTests : IDisposable
{
    private readonly GitOrigin _origin = new();
    private readonly GitSandbox _sandbox = new();

    [Fact]
    public async Task ResolveAsync_Branch_ReturnsBranchTip()
    {
        _origin.Write("a.txt", "one");
        _origin.Commit();
        _origin.Git("checkout", "-q", "-b", "feature");
        _origin.Write("a.txt", "two");
        var feature = _origin.Commit();
        _origin.Git("checkout", "-q", "main");
        var project = _sandbox.Register(_origin.Root);

        Assert.Equal(feature, await _sandbox.Mirrors.ResolveAsync(project, "feature"));
        Assert.Equal(feature, await _sandbox.Mirrors.ResolveAsync(project, "refs/heads/feature"));
    }

    [Fact]
    public async Task ResolveAsync_NoRef_ReturnsTipOfProjectBranch()
    {
        _origin.Write("a.txt", "one");
        var main = _origin.Commit();
        _origin.Git("checkout", "-q", "-b", "other");
        _origin.Commit("other");
        var project = _sandbox.Register(_origin.Root, branch: "main");

        Assert.Equal(main, await _sandbox.Mirrors.ResolveAsync(project, null));
        Assert.Equal(main, await _sandbox.Mirrors.ResolveAsync(project, " "));
    }

    [Fact]
    public async Task ResolveAsync_LightweightAndAnnotatedTags_ReturnTaggedCommit()
    {
        _origin.Write("a.txt", "one");
        var first = _origin.Commit();
        _origin.Tag("v1");
        _origin.Write("a.txt", "two");
        var second = _origin.Commit();
        _origin.Tag("v2", annotated: true);
        _origin.Commit("later");
        var project = _sandbox.Register(_origin.Root);

        Assert.Equal(first, await _sandbox.Mirrors.ResolveAsync(project, "v1"));
        Assert.Equal(second, await _sandbox.Mirrors.ResolveAsync(project, "v2"));
        Assert.Equal(second, await _sandbox.Mirrors.ResolveAsync(project, "refs/tags/v2"));
    }

    [Fact]
    public async Task ResolveAsync_FullAndShortSha_ReturnsFullSha()
    {
        _origin.Write("a.txt", "one");
        var first = _origin.Commit();
        _origin.Commit("second");
        var project = _sandbox.Register(_origin.Root);

        Assert.Equal(first, await _sandbox.Mirrors.ResolveAsync(project, first));
        Assert.Equal(first, await _sandbox.Mirrors.ResolveAsync(project, first.ToUpperInvariant()));
        Assert.Equal(first, await _sandbox.Mirrors.ResolveAsync(project, first[..7]));
    }

    [Theory]
    [InlineData("no-such-branch")]
    [InlineData("0123456789abcdef0123456789abcdef01234567")]
    [InlineData("deadbeef")]
    public async Task ResolveAsync_UnknownRef_ThrowsRefNotFoundNamingIt(string reference)
    {
        _origin.Commit("only");
        var project = _sandbox.Register(_origin.Root);

        var error = await Assert.ThrowsAsync<GitRefNotFoundException>(() => _sandbox.Mirrors.ResolveAsync(project, reference));

        Assert.False(error.IsInvalid);
        Assert.Equal(project, error.ProjectId);
        Assert.Equal(reference, error.Reference);
        Assert.Contains(reference, error.Message, StringComparison.Ordinal);
        Assert.Contains(project, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("two..dots")]
    [InlineData("has space")]
    [InlineData("colon:name")]
    public async Task ResolveAsync_InvalidRefName_ThrowsInvalidRef(string reference)
    {
        _origin.Commit("only");
        var project = _sandbox.Register(_origin.Root);

        var error = await Assert.ThrowsAsync<GitRefNotFoundException>(() => _sandbox.Mirrors.ResolveAsync(project, reference));

        Assert.True(error.IsInvalid);
        Assert.Contains("not a valid branch, tag or commit name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_CommitPushedAfterClone_FetchPicksItUp()
    {
        var first = _origin.Commit("first");
        var project = _sandbox.Register(_origin.Root);
        Assert.Equal(first, await _sandbox.Mirrors.ResolveAsync(project, "main"));

        var second = _origin.Commit("second");

        Assert.Equal(second, await _sandbox.Mirrors.ResolveAsync(project, "main"));
        Assert.Equal(1, _sandbox.Logs.Count(4001));
        Assert.Equal(1, _sandbox.Logs.Count(4003));
    }

    [Fact]
    public async Task ResolveAsync_WithinFreshnessWindow_DoesNotFetchKnownRefButFetchesUnknownOne()
    {
        using var sandbox = new GitSandbox(o => o.FetchFreshness = TimeSpan.FromHours(1));
        var first = _origin.Commit("first");
        var project = sandbox.Register(_origin.Root);
        Assert.Equal(first, await sandbox.Mirrors.ResolveAsync(project, "main"));

        var second = _origin.Commit("second");
        _origin.Git("branch", "new-branch");

        Assert.Equal(first, await sandbox.Mirrors.ResolveAsync(project, "main"));
        Assert.Equal(second, await sandbox.Mirrors.ResolveAsync(project, "new-branch"));
        Assert.Equal(second, await sandbox.Mirrors.ResolveAsync(project, "main"));
        Assert.Equal(1, sandbox.Logs.Count(4003));
    }

    [Fact]
    public async Task ResolveAsync_BranchDeletedAtOrigin_IsPrunedFromMirror()
    {
        _origin.Commit("first");
        _origin.Git("branch", "gone");
        var project = _sandbox.Register(_origin.Root);
        await _sandbox.Mirrors.ResolveAsync(project, "gone");

        _origin.Git("branch", "-D", "gone");

        await Assert.ThrowsAsync<GitRefNotFoundException>(() => _sandbox.Mirrors.ResolveAsync(project, "gone"));
    }

    [Fact]
    public async Task ResolveAsync_FileUrl_ClonesAndResolves()
    {
        var sha = _origin.Commit("first");
        var project = _sandbox.Register(_origin.FileUrl);

        Assert.StartsWith("file:///", _origin.FileUrl, StringComparison.Ordinal);
        Assert.Equal(sha, await _sandbox.Mirrors.ResolveAsync(project, "main"));
    }

    [Fact]
    public async Task ResolveAsync_RelativeLocalPath_ClonesAndResolves()
    {
        var sha = _origin.Commit("first");
        var project = _sandbox.Register(Path.GetRelativePath(Environment.CurrentDirectory, _origin.Root));

        Assert.Equal(sha, await _sandbox.Mirrors.ResolveAsync(project, "main"));
    }

    [Fact]
    public async Task ResolveAsync_ManyCallersAtOnce_CloneOnce()
    {
        var sha = _origin.Commit("first");
        var project = _sandbox.Register(_origin.Root);
        var second = _sandbox.NewHost();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => (i % 2 == 0 ? _sandbox.Mirrors : second.Mirrors).ResolveAsync(project, "main"))));

        Assert.All(results, r => Assert.Equal(sha, r));
        Assert.Equal(1, _sandbox.Logs.Count(4001));
    }

    [Fact]
    public async Task ResolveAsync_UnregisteredProject_ThrowsRepositoryError()
    {
        var error = await Assert.ThrowsAsync<GitRepositoryException>(() => _sandbox.Mirrors.ResolveAsync("nobody", "main"));

        Assert.Equal("nobody", error.ProjectId);
        Assert.Contains("not registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_MissingRepository_ThrowsRepositoryErrorAndLeavesNoMirror()
    {
        var project = _sandbox.Register(Path.Combine(_origin.Root, "missing"));

        var error = await Assert.ThrowsAsync<GitRepositoryException>(() => _sandbox.Mirrors.ResolveAsync(project, "main"));

        Assert.Contains($"Project {project}: cloning", error.Message, StringComparison.Ordinal);
        var mirrors = Path.Combine(_sandbox.CacheDirectory, "mirrors");
        Assert.Empty(Directory.Exists(mirrors) ? Directory.EnumerateFileSystemEntries(mirrors) : []);
    }

    [Fact]
    public async Task FetchAsync_MirrorLockedByAnotherProcess_WaitsUntilReleased()
    {
        using var sandbox = new GitSandbox(o => o.LockTimeout = TimeSpan.FromMilliseconds(300));
        _origin.Commit("first");
        var project = sandbox.Register(_origin.Root);
        var lockFile = Path.Combine(sandbox.CacheDirectory, "locks", $"mirror-{project}.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", lockFile, "sleep", "60"]) { UseShellExecute = false })!;
        try
        {
            while (!await IsLockedAsync(lockFile))
            {
                await Task.Delay(20);
            }

            var error = await Assert.ThrowsAsync<GitRepositoryException>(() => sandbox.Mirrors.FetchAsync(project));
            Assert.Contains("held by another process", error.Message, StringComparison.Ordinal);
            Assert.Contains("LockTimeout", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        await sandbox.Mirrors.FetchAsync(project);
        Assert.Equal(1, sandbox.Logs.Count(4001));
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        _origin.Dispose();
    }

    private static async Task<bool> IsLockedAsync(string lockFile)
    {
        using var probe = Process.Start(new ProcessStartInfo("flock", ["--nonblock", lockFile, "true"]) { UseShellExecute = false })!;
        await probe.WaitForExitAsync();
        return probe.ExitCode != 0;
    }
}
