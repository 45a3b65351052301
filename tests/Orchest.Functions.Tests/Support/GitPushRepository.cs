using Orchest.Testing;

namespace Orchest.Functions.Tests.Support;

/// <summary>
/// A bare repository (what the project is registered with, like a forge's) and a clone that commits and really
/// <c>git push</c>es to it, remembering the branch's commit before each push (a push payload's <c>before</c>).
/// </summary>
internal sealed class GitPushRepository : IDisposable
{
    private readonly GitOrigin _clone;

    public GitPushRepository(IReadOnlyDictionary<string, string> files)
    {
        Bare = Path.Combine(Path.GetTempPath(), "orchest-tests", $"bare-{Guid.NewGuid():n}.git");
        Directory.CreateDirectory(Bare);
        Run(Bare, "init", "-q", "--bare", "-b", "main");
        _clone = new GitOrigin("pusher");
        _clone.Git("remote", "add", "origin", Bare);
        Push(files, "initial");
    }

    public string Bare { get; }

    /// <summary>Writes (or with a null content deletes) files, commits and pushes to <paramref name="branch"/>; returns (before, after).</summary>
    public (string Before, string After) PushChanges(IReadOnlyDictionary<string, string?> files, string message, string branch = "main")
    {
        var before = Head(branch);
        foreach (var (path, content) in files)
        {
            if (content is null)
            {
                File.Delete(Path.Combine(_clone.Root, path));
            }
            else
            {
                _clone.Write(path, content, executable: path.EndsWith(".sh", StringComparison.Ordinal));
            }
        }

        var after = _clone.Commit(message);
        _clone.Git("push", "-q", "origin", $"HEAD:refs/heads/{branch}");
        return (before, after);
    }

    public (string Before, string After) Push(IReadOnlyDictionary<string, string> files, string message, string branch = "main") =>
        PushChanges(files.ToDictionary(f => f.Key, f => (string?)f.Value), message, branch);

    /// <summary>Pushes a tag at the clone's HEAD.</summary>
    public string PushTag(string name)
    {
        _clone.Tag(name);
        _clone.Git("push", "-q", "origin", $"refs/tags/{name}");
        return _clone.Git("rev-parse", "HEAD");
    }

    /// <summary>The branch's commit in the bare repository (all zeros when it does not exist).</summary>
    public string Head(string branch)
    {
        try
        {
            return Run(Bare, "rev-parse", "--verify", "-q", $"refs/heads/{branch}");
        }
        catch (InvalidOperationException)
        {
            return GitPushSender.Zeros;
        }
    }

    public void Dispose()
    {
        _clone.Dispose();
        try
        {
            Directory.Delete(Bare, recursive: true);
        }
        catch (IOException)
        {
            // Reclaimed with the temp folder.
        }
    }

    private static string Run(string directory, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error}");
    }
}
