using Orchest.Git.Tests.Support;
using Orchest.Testing;

namespace Orchest.Git.Tests;

/// <summary>ssh remotes: libgit2 runs an ssh program (a stand-in here, or the real OpenSSH against a closed port).</summary>
public sealed class SshRemoteTests : IDisposable
{
    private readonly GitOrigin _origin = new();
    private readonly GitSandbox _sandbox = new();

    [Fact]
    public async Task ResolveAsync_SshUrl_FetchesThroughTheSshCommandWithTheConfiguredKey()
    {
        // A stand-in for OpenSSH: records its arguments and runs the remote command (git-upload-pack) locally.
        var fakeSsh = _origin.Write("../fake-ssh-" + Guid.NewGuid().ToString("n")[..8] + ".sh", """
            #!/bin/sh
            echo "$@" >> "$0.args"
            for last; do :; done
            exec sh -c "$last"
            """, executable: true);
        var keyFile = Path.Combine(_sandbox.Root, "id_test");
        using var sandbox = new GitSandbox(
            o => o.SshCommand = fakeSsh,
            new Dictionary<string, string?> { ["Orchest:GitCredentials:deploy:SshKeyFile"] = keyFile });
        var sha = _origin.Commit("first");
        var project = sandbox.Register($"ssh://git@git.example.invalid{_origin.Root}", credential: "deploy");

        try
        {
            Assert.Equal(sha, await sandbox.Mirrors.ResolveAsync(project, "main"));
            var arguments = File.ReadAllText(fakeSsh + ".args");
            Assert.Contains($"-i {keyFile}", arguments, StringComparison.Ordinal);
            Assert.Contains("git@git.example.invalid", arguments, StringComparison.Ordinal);
            Assert.Contains("git-upload-pack", arguments, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(fakeSsh);
            File.Delete(fakeSsh + ".args");
        }
    }

    [Fact]
    public async Task ResolveAsync_SshHostRefusesConnection_FailsWithRepositoryError()
    {
        _origin.Commit("first");
        var project = _sandbox.Register("ssh://git@127.0.0.1:1/srv/repo.git");

        var error = await Assert.ThrowsAsync<GitRepositoryException>(() => _sandbox.Mirrors.ResolveAsync(project, "main"));

        Assert.Contains($"Project {project}: cloning ssh://***@127.0.0.1:1/srv/repo.git failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_RemoteStalls_FailsAfterFetchTimeout()
    {
        // An ssh that connects and then never answers: libgit2 blocks in a read no callback interrupts.
        var stalledSsh = _origin.Write($"../stalled-ssh-{Guid.NewGuid():n}.sh", "#!/bin/sh\nexec sleep 3\n", executable: true);
        using var sandbox = new GitSandbox(o =>
        {
            o.SshCommand = stalledSsh;
            o.FetchTimeout = TimeSpan.FromMilliseconds(300);
        });
        _origin.Commit("first");
        var project = sandbox.Register($"ssh://git@git.example.invalid{_origin.Root}");

        try
        {
            var error = await Assert.ThrowsAsync<GitRepositoryException>(() => sandbox.Mirrors.ResolveAsync(project, "main"));

            Assert.Contains("timed out after 00:00:00.3", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(stalledSsh);
        }
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        _origin.Dispose();
    }
}
