using System.Diagnostics;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace Orchest.Git;

/// <summary>Cloning and fetching: the only place LibGit2Sharp talks to a remote; its errors are translated here.</summary>
public sealed partial class ProjectMirrors
{
    private const string Remote = "origin";
    private const string FetchStampFile = "orchest-fetched";

    // A mirror, not a clone: branches and tags land under their own names, deleted ones are pruned.
    private static readonly string[] Refspecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

    /// <summary>Clones the mirror if missing, else fetches unless it was fetched at or after <paramref name="fetchedSince"/>.</summary>
    private async Task SyncAsync(string projectId, ProjectSource source, DateTime fetchedSince, CancellationToken cancellationToken)
    {
        var held = await LockAsync($"mirror-{projectId}", cancellationToken);
        Task? transfer = null;
        string? temp = null;
        try
        {
            var path = MirrorPath(projectId);
            var stamp = Path.Combine(path, FetchStampFile);
            if (Directory.Exists(path) && File.Exists(stamp))
            {
                var fetched = File.GetLastWriteTimeUtc(stamp);
                if (fetched >= fetchedSince)
                {
                    Logs.MirrorFresh(_logger, projectId, (long)(DateTime.UtcNow - fetched).TotalMilliseconds);
                    return;
                }

                transfer = StartTransfer(() => Fetch(projectId, path, source, cloning: false, cancellationToken));
                await AwaitTransferAsync(projectId, source, transfer, cancellationToken);
                return;
            }

            // Built beside the final path and renamed, so a crash never leaves a half-cloned mirror in place.
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }

            Directory.CreateDirectory(_options.MirrorsDirectory);
            temp = Path.Combine(_options.MirrorsDirectory, $".tmp-{projectId}-{Guid.NewGuid():n}.git");
            Repository.Init(temp, isBare: true);
            var target = temp;
            transfer = StartTransfer(() => Fetch(projectId, target, source, cloning: true, cancellationToken));
            await AwaitTransferAsync(projectId, source, transfer, cancellationToken);
            Directory.Move(temp, path);
        }
        finally
        {
            if (transfer is { IsCompleted: false })
            {
                // Abandoned after the timeout but still inside libgit2: keep others out of this mirror until
                // it returns; the stale-leftover sweep removes its temp folder.
                _ = transfer.ContinueWith(
                    t =>
                    {
                        _ = t.Exception; // observed: the caller was already told it timed out
                        held.Dispose();
                    },
                    CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
            else
            {
                if (temp is not null && Directory.Exists(temp))
                {
                    Directory.Delete(temp, recursive: true);
                }

                held.Dispose();
            }
        }
    }

    // A blocked network read inside libgit2 cannot be interrupted (progress callbacks stop only a transfer
    // that moves), so the transfer gets its own thread and the caller stops waiting at the timeout.
    private static Task StartTransfer(Action transfer) =>
        Task.Factory.StartNew(transfer, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private async Task AwaitTransferAsync(string projectId, ProjectSource source, Task transfer, CancellationToken cancellationToken)
    {
        try
        {
            await transfer.WaitAsync(_options.FetchTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            var shownUrl = RepositoryUrl.Redact(RepositoryUrl.Split(source.Url).Url);
            var reason = $"timed out after {_options.FetchTimeout}";
            Logs.FetchFailed(_logger, projectId, shownUrl, reason);
            throw new GitRepositoryException(projectId, $"Project {projectId}: fetching {shownUrl} failed: {reason}.");
        }
    }

    private void Fetch(string projectId, string path, ProjectSource source, bool cloning, CancellationToken cancellationToken)
    {
        var credential = _credentials.Find(projectId, source.CredentialName);
        var (url, embeddedUser, embeddedSecret) = RepositoryUrl.Split(source.Url);
        var secrets = new[] { credential?.Secret, embeddedSecret };
        var shownUrl = RepositoryUrl.Redact(url, secrets);
        if (cloning)
        {
            Logs.MirrorCloning(_logger, projectId, shownUrl);
        }
        else
        {
            Logs.MirrorFetching(_logger, projectId, shownUrl);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.FetchTimeout);
        var stop = timeout.Token;
        var authAttempts = 0;
        var options = new FetchOptions
        {
            Prune = true,
            TagFetchMode = TagFetchMode.None,
            OnTransferProgress = _ => !stop.IsCancellationRequested,
            OnProgress = _ => !stop.IsCancellationRequested,
            OnUpdateTips = (_, _, _) => !stop.IsCancellationRequested,
        };
        var username = credential?.HasSecret == true ? credential.Username : embeddedUser;
        var secret = credential?.HasSecret == true ? credential.Secret : embeddedSecret;
        if (secret is not null)
        {
            options.CredentialsProvider = (_, _, _) =>
            {
                // libgit2 asks again after every 401; a second ask means the secret was refused.
                if (++authAttempts > 1)
                {
                    throw new LibGit2SharpException("authentication failed");
                }

                return new UsernamePasswordCredentials { Username = username ?? "git", Password = secret };
            };
        }

        var watch = Stopwatch.StartNew();
        try
        {
            using var repository = new Repository(path);
            Configure(repository, projectId, url, shownUrl, credential);
            Commands.Fetch(repository, Remote, Refspecs, options, "orchest fetch");
        }
        catch (LibGit2SharpException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reason = stop.IsCancellationRequested
                ? $"timed out after {_options.FetchTimeout}"
                : authAttempts > 1
                    ? $"authentication failed{(credential is null ? "" : $" with credential \"{credential.Name}\"")}"
                    : RepositoryUrl.Redact(e.Message, secrets);
            Logs.FetchFailed(_logger, projectId, shownUrl, reason);
            throw new GitRepositoryException(
                projectId, $"Project {projectId}: {(cloning ? "cloning" : "fetching")} {shownUrl} failed: {reason}.");
        }

        File.WriteAllText(Path.Combine(path, FetchStampFile), "");
        if (cloning)
        {
            Logs.MirrorCloned(_logger, projectId, watch.ElapsedMilliseconds);
        }
        else
        {
            Logs.MirrorFetched(_logger, projectId, watch.ElapsedMilliseconds);
        }
    }

    /// <summary>Points the mirror's remote at the registered URL (without credentials) and sets how ssh is run.</summary>
    private void Configure(Repository repository, string projectId, string url, string shownUrl, GitCredential? credential)
    {
        var remote = repository.Network.Remotes[Remote];
        if (remote is null)
        {
            repository.Network.Remotes.Add(Remote, url);
        }
        else if (remote.Url != url)
        {
            repository.Network.Remotes.Update(Remote, r => r.Url = url);
            Logs.RemoteChanged(_logger, projectId, shownUrl);
        }

        if (RepositoryUrl.IsSsh(url))
        {
            // libgit2 runs OpenSSH for ssh URLs: core.sshCommand names one program (it is not split into
            // arguments, and GIT_SSH_COMMAND is not read), so options and the key go into a wrapper script.
            repository.Config.Set("core.sshCommand", SshWrapper(credential?.SshKeyFile));
        }
    }

    /// <summary>A script running <see cref="GitProjectOptions.SshCommand"/> with the key file, named by its content.</summary>
    private string SshWrapper(string? keyFile)
    {
        var command = keyFile is { Length: > 0 }
            ? $"{_options.SshCommand} -o IdentitiesOnly=yes -i '{keyFile.Replace("'", "'\\''", StringComparison.Ordinal)}'"
            : _options.SshCommand;
        var script = $"#!/bin/sh\nexec {command} \"$@\"\n";
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(script)))[..16];
        var path = Path.Combine(_options.CacheRoot, "ssh", $"ssh-{name}.sh");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = $"{path}.{Guid.NewGuid():n}.tmp";
            File.WriteAllText(temp, script);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            File.Move(temp, path, overwrite: true);
        }

        return path;
    }

    private Task<FileLock> LockAsync(string name, CancellationToken cancellationToken) =>
        AcquireLockAsync(_options, name, cancellationToken);

    internal static async Task<FileLock> AcquireLockAsync(GitProjectOptions options, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await FileLock.AcquireAsync(Path.Combine(options.LocksDirectory, name + ".lock"), options.LockTimeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new GitRepositoryException(name, $"{e.Message} Another fetch or checkout is still running; raise {GitProjectOptions.SectionName}:LockTimeout if it is legitimately slow.");
        }
    }
}
