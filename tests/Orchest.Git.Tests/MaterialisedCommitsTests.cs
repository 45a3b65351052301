using Orchest.Git.Tests.Support;
using Orchest.Testing;

namespace Orchest.Git.Tests;

public sealed class MaterialisedCommitsTests : IDisposable
{
    private readonly GitOrigin _origin = new();
    private readonly GitSandbox _sandbox = new();

    [Fact]
    public async Task MaterialiseAsync_Twice_WritesOnceAndReusesTheFolder()
    {
        _origin.Write("a.txt", "one");
        var sha = _origin.Commit();
        var project = _sandbox.Register(_origin.Root);

        var first = await _sandbox.Commits.MaterialiseAsync(project, sha);
        var marker = Path.Combine(first.Directory, "marker-left-by-test");
        await File.WriteAllTextAsync(marker, "");
        var second = await _sandbox.NewHost().Commits.MaterialiseAsync(project, sha);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Directory, second.Directory);
        Assert.Equal(Path.Combine(_sandbox.CacheDirectory, "commits", sha), first.Directory);
        Assert.True(File.Exists(marker));
        Assert.Equal(1, _sandbox.Logs.Count(4007));
    }

    [Fact]
    public async Task MaterialiseAsync_ManyCallersAtOnce_OneOfThemWritesIt()
    {
        _origin.Write("a.txt", "one");
        var sha = _origin.Commit();
        var project = _sandbox.Register(_origin.Root);
        var hosts = new[] { _sandbox.Host, _sandbox.NewHost(), _sandbox.NewHost() };

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => hosts[i % hosts.Length].Commits.MaterialiseAsync(project, sha))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Directory).Distinct());
        Assert.Equal(1, _sandbox.Logs.Count(4007));
        Assert.Equal("one", await File.ReadAllTextAsync(Path.Combine(results[0].Directory, "a.txt")));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_sandbox.CacheDirectory, "commits"), ".*"));
    }

    [Fact]
    public async Task MaterialiseAsync_ExecutableBitsAndSymlinks_KeptAsGitRecordedThem()
    {
        _origin.Write("steps/run.sh", "#!/bin/sh\necho hi\n", executable: true);
        _origin.Write("steps/plain.py", "print(1)\n");
        _origin.Symlink("link-to-run.sh", "steps/run.sh");
        _origin.Symlink("steps-link", "steps");
        _origin.Symlink("dangling", "does/not/exist");
        var sha = _origin.Commit();
        var project = _sandbox.Register(_origin.Root);

        var commit = await _sandbox.Commits.MaterialiseAsync(project, sha);

        var dir = commit.Directory;
        Assert.True(File.GetUnixFileMode(Path.Combine(dir, "steps/run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(dir, "steps/plain.py")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("steps/run.sh", new FileInfo(Path.Combine(dir, "link-to-run.sh")).LinkTarget);
        Assert.Equal("steps", new DirectoryInfo(Path.Combine(dir, "steps-link")).LinkTarget);
        Assert.Equal("does/not/exist", new FileInfo(Path.Combine(dir, "dangling")).LinkTarget);
        Assert.Equal("#!/bin/sh\necho hi\n", await File.ReadAllTextAsync(Path.Combine(dir, "link-to-run.sh")));
        Assert.False(Path.Exists(Path.Combine(dir, ".git")));
    }

    [Fact]
    public async Task MaterialiseAsync_Files_AreReadOnly()
    {
        _origin.Write("a.txt", "one");
        _origin.Write("run.sh", "#!/bin/sh\n", executable: true);
        var sha = _origin.Commit();
        var project = _sandbox.Register(_origin.Root);

        var commit = await _sandbox.Commits.MaterialiseAsync(project, sha);

        const UnixFileMode writable = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(Path.Combine(commit.Directory, "a.txt")) & writable);
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(Path.Combine(commit.Directory, "run.sh")) & writable);
    }

    [Fact]
    public async Task MaterialiseAsync_CommitNotInRepository_ThrowsRefNotFound()
    {
        _origin.Commit();
        var project = _sandbox.Register(_origin.Root);
        const string missing = "0123456789abcdef0123456789abcdef01234567";

        var error = await Assert.ThrowsAsync<GitRefNotFoundException>(() => _sandbox.Commits.MaterialiseAsync(project, missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_sandbox.CacheDirectory, "commits", missing)));
    }

    [Fact]
    public async Task MaterialiseAsync_CommitPushedAfterMirrorWasMade_FetchesIt()
    {
        _origin.Commit("first");
        var project = _sandbox.Register(_origin.Root);
        await _sandbox.Mirrors.ResolveAsync(project, "main");
        _origin.Write("b.txt", "two");
        var second = _origin.Commit("second");

        var commit = await _sandbox.Commits.MaterialiseAsync(project, second);

        Assert.Equal("two", await File.ReadAllTextAsync(Path.Combine(commit.Directory, "b.txt")));
    }

    [Fact]
    public async Task MaterialiseAsync_NotAFullSha_ThrowsArgumentException()
    {
        var project = _sandbox.Register(_origin.Root);

        await Assert.ThrowsAsync<ArgumentException>(() => _sandbox.Commits.MaterialiseAsync(project, "main"));
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        _origin.Dispose();
    }
}
