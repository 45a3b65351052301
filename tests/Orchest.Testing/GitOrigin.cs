using System.Diagnostics;

namespace Orchest.Testing;

/// <summary>
/// A real git repository in a unique temp folder, driven by the git CLI (the "remote" a project is
/// registered with). Deleted on dispose.
/// </summary>
public sealed class GitOrigin : IDisposable
{
    public GitOrigin(string? name = null, string branch = "main")
    {
        Root = Path.Combine(Path.GetTempPath(), "orchest-tests", $"{name ?? "origin"}-{Guid.NewGuid():n}");
        Directory.CreateDirectory(Root);
        Git("init", "-q", "-b", branch);
    }

    public string Root { get; }

    /// <summary>The repository as a <c>file://</c> URL.</summary>
    public string FileUrl => new Uri(Root + "/").AbsoluteUri.TrimEnd('/');

    /// <summary>Writes a file (creating folders); <paramref name="executable"/> sets the owner's x bit.</summary>
    public string Write(string relativePath, string content, bool executable = false)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(full, File.GetUnixFileMode(full) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return full;
    }

    /// <summary>Creates a symbolic link at <paramref name="relativePath"/> pointing at <paramref name="target"/> (as written).</summary>
    public void Symlink(string relativePath, string target)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
    }

    /// <summary>Copies a folder's files into the repository (skipping <paramref name="skip"/> prefixes, project-relative).</summary>
    public void CopyFrom(string directory, params string[] skip)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            if (skip.Any(s => relative == s || relative.StartsWith(s + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var target = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>Stages everything and commits; returns the new commit's sha.</summary>
    public string Commit(string message = "change")
    {
        Git("add", "-A");
        Git("-c", "user.name=Orchest Tests", "-c", "user.email=tests@orchest.invalid", "commit", "-q", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD");
    }

    public void Tag(string name, bool annotated = false)
    {
        if (annotated)
        {
            Git("-c", "user.name=Orchest Tests", "-c", "user.email=tests@orchest.invalid", "tag", "-a", name, "-m", name);
        }
        else
        {
            Git("tag", name);
        }
    }

    /// <summary>Runs git in the repository and returns its trimmed standard output.</summary>
    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? stdout.Trim()
            : throw new InvalidOperationException($"git {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is reclaimed later.
        }
    }
}
