using Microsoft.Extensions.Configuration;
using Orchest.Git.Tests.Support;
using Orchest.Testing;

namespace Orchest.Git.Tests;

/// <summary>Credentials by reference over real smart HTTP: used to authenticate, and nowhere else.</summary>
public sealed class GitCredentialsTests : IDisposable
{
    private const string User = "alice";
    private const string Password = "s3cret-Pa55word-7c1e";

    private readonly GitOrigin _origin = new();
    private readonly GitHttpServer _server;

    public GitCredentialsTests()
    {
        _origin.Write("main.py", "print('hello')\n");
        _origin.Commit("first");
        _server = new GitHttpServer(Path.GetDirectoryName(_origin.Root)!, User, Password);
    }

    public void Dispose()
    {
        _server.Dispose();
        _origin.Dispose();
    }

    [Fact]
    public async Task ResolveAsync_CredentialByReference_AuthenticatesAndSecretIsNowhereOnDiskOrInLogs()
    {
        using var sandbox = new GitSandbox(settings: Credential("origin", User, Password));
        var project = sandbox.Register(OriginUrl(), credential: "origin");

        var sha = await sandbox.Mirrors.ResolveAsync(project, "main");
        var materialised = await sandbox.Commits.MaterialiseAsync(project, sha);
        var (run, definition) = GitSandbox.Run(project, sha);
        await sandbox.Workspaces.AcquireAsync(run, definition);

        Assert.Equal(_origin.Git("rev-parse", "HEAD"), sha);
        Assert.True(File.Exists(Path.Combine(materialised.Directory, "main.py")));
        Assert.True(_server.Unauthorized >= 1);
        Assert.DoesNotContain(Password, sandbox.Logs.All, StringComparison.Ordinal);
        Assert.Empty(sandbox.FilesContaining(Password));
        Assert.Contains(OriginUrl(), sandbox.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_TokenWithoutUsername_IsSentAsAccessToken()
    {
        using var server = new GitHttpServer(Path.GetDirectoryName(_origin.Root)!, "x-access-token", Password);
        using var sandbox = new GitSandbox(settings: new Dictionary<string, string?> { ["Orchest:GitCredentials:ci:Token"] = Password });
        var project = sandbox.Register(server.Url(Path.GetFileName(_origin.Root)), credential: "ci");

        Assert.Equal(_origin.Git("rev-parse", "HEAD"), await sandbox.Mirrors.ResolveAsync(project, "main"));
        Assert.Empty(sandbox.FilesContaining(Password));
    }

    [Fact]
    public async Task ResolveAsync_WrongPassword_FailsClearlyWithoutTheSecret()
    {
        const string wrong = "wrong-Pa55word-91ab";
        using var sandbox = new GitSandbox(settings: Credential("origin", User, wrong));
        var project = sandbox.Register(OriginUrl(), credential: "origin");

        var error = await Assert.ThrowsAsync<GitRepositoryException>(() => sandbox.Mirrors.ResolveAsync(project, "main"));

        Assert.Contains("authentication failed with credential \"origin\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, sandbox.Logs.All, StringComparison.Ordinal);
        Assert.Empty(sandbox.FilesContaining(wrong));
    }

    [Fact]
    public async Task ResolveAsync_NoCredentialForPrivateRepository_FailsWithRepositoryError()
    {
        using var sandbox = new GitSandbox();
        var project = sandbox.Register(OriginUrl());

        var error = await Assert.ThrowsAsync<GitRepositoryException>(() => sandbox.Mirrors.ResolveAsync(project, "main"));

        Assert.Contains($"Project {project}: cloning {OriginUrl()} failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_CredentialNameNotConfigured_FailsNamingTheSettings()
    {
        using var sandbox = new GitSandbox();
        var project = sandbox.Register(OriginUrl(), credential: "missing");

        var error = await Assert.ThrowsAsync<GitRepositoryException>(() => sandbox.Mirrors.ResolveAsync(project, "main"));

        Assert.Contains("Orchest:GitCredentials:missing:Password, :Token or :SshKeyFile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_UrlWithEmbeddedCredentials_AuthenticatesButLogsAndStoresItRedacted()
    {
        using var sandbox = new GitSandbox();
        var url = OriginUrl().Replace("http://", $"http://{User}:{Password}@", StringComparison.Ordinal);
        var project = sandbox.Register(url);

        await sandbox.Mirrors.ResolveAsync(project, "main");

        Assert.DoesNotContain(Password, sandbox.Logs.All, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{_server.Port}/", sandbox.Logs.All, StringComparison.Ordinal);
        Assert.Empty(sandbox.FilesContaining(Password));
    }

    [Fact]
    public async Task ResolveAsync_EmbeddedCredentialsRefused_ErrorAndLogRedactTheUrl()
    {
        const string wrong = "wrong-Pa55word-91ab";
        using var sandbox = new GitSandbox();
        var project = sandbox.Register(OriginUrl().Replace("http://", $"http://{User}:{wrong}@", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<GitRepositoryException>(() => sandbox.Mirrors.ResolveAsync(project, "main"));

        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, sandbox.Logs.All, StringComparison.Ordinal);
        Assert.Contains("authentication failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GitCredential_ToString_HidesTheSecret()
    {
        var credential = new GitCredentials(new ConfigurationBuilder()
            .AddInMemoryCollection(Credential("origin", User, Password)).Build()).Find("p1", "origin")!;

        Assert.Equal(User, credential.Username);
        Assert.Equal(Password, credential.Secret);
        Assert.DoesNotContain(Password, credential.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, new ProjectSource($"https://{User}:{Password}@example.invalid/r.git", "main").ToString(), StringComparison.Ordinal);
    }

    private string OriginUrl() => _server.Url(Path.GetFileName(_origin.Root));

    private static Dictionary<string, string?> Credential(string name, string user, string password) => new()
    {
        [$"Orchest:GitCredentials:{name}:Username"] = user,
        [$"Orchest:GitCredentials:{name}:Password"] = password,
    };
}
