namespace Orchest.Engine.Projects;

/// <summary>Resolves every symlink along a path (like realpath(3)); the missing tail is kept as written.</summary>
public static class RealPath
{
    private const int MaxLinks = 40;

    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var links = 0;
        var resolved = Path.GetPathRoot(full)!;
        var pending = new Queue<string>(full[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        while (pending.TryDequeue(out var part))
        {
            var next = Path.Combine(resolved, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    return next;
                }

                var targetFull = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(resolved, target));
                var rest = pending.ToList();
                pending.Clear();
                resolved = Path.GetPathRoot(targetFull)!;
                foreach (var p in targetFull[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest))
                {
                    pending.Enqueue(p);
                }

                continue;
            }

            resolved = next;
        }

        return Path.TrimEndingDirectorySeparator(resolved);
    }
}
