using System.Collections.Concurrent;

namespace Orchest.Runners.Docker;

/// <summary>
/// Makes bind-mounted folders writable for an image user that is not this process's user (Orchest's
/// images run as jovyan, uid 1000): <c>chmod a+rwX</c>, like <c>chmod -R a+rwX</c> but skipping
/// <c>.git</c> and symbolic links, and touching only entries that lack a bit. A run's working copy and
/// data folder are walked once per run; the folders the engine creates for each step are fixed per step.
/// </summary>
internal sealed class WritableFolders
{
    private const UnixFileMode FileBits = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
        | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private const UnixFileMode ExecuteBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly ConcurrentDictionary<string, Lazy<Task>> _walked = new(StringComparer.Ordinal);

    /// <summary>Walks <paramref name="root"/> once per run (later calls of the same run wait for the first).</summary>
    public Task EnsureTreeAsync(string runId, string root)
    {
        if (_walked.Count > 10_000)
        {
            // A long-lived host: forget old runs; a run seen again is walked again (cheap when nothing changes).
            _walked.Clear();
        }

        return _walked.GetOrAdd(runId + "\n" + root, _ => new Lazy<Task>(() => Task.Run(() => Walk(new DirectoryInfo(root))))).Value;
    }

    /// <summary>One folder (created when missing) and the files directly in it.</summary>
    public static void EnsureFolder(string folder)
    {
        var dir = Directory.CreateDirectory(folder);
        Fix(dir);
        foreach (var file in dir.EnumerateFiles())
        {
            Fix(file);
        }
    }

    private static void Walk(DirectoryInfo root)
    {
        if (!root.Exists)
        {
            return;
        }

        var pending = new Stack<DirectoryInfo>();
        pending.Push(root);
        Fix(root);
        while (pending.TryPop(out var dir))
        {
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = dir.EnumerateFileSystemInfos().ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (entry.LinkTarget is not null || entry.Name == ".git")
                {
                    continue;
                }

                Fix(entry);
                if (entry is DirectoryInfo child)
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static void Fix(FileSystemInfo entry)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            var mode = entry.UnixFileMode;
            var wanted = mode | FileBits;
            if (entry is DirectoryInfo || (mode & ExecuteBits) != 0)
            {
                wanted |= ExecuteBits;
            }

            if (wanted != mode)
            {
                entry.UnixFileMode = wanted;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not ours to change (another user's file); the step may still not need to write it.
        }
    }
}
