using LibGit2Sharp;

namespace Orchest.Git;

/// <summary>
/// Writes a commit's tree to a folder as git recorded it: file bytes without filters (no eol or LFS
/// conversion), 0444/0555 modes (read-only: the commit is shared), symlinks as links, submodules as
/// empty folders. Walking the tree ourselves needs no index or worktree metadata in the mirror.
/// </summary>
internal static class TreeWriter
{
    private const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Writes <paramref name="tree"/> below <paramref name="directory"/>; returns the number of files and links written.</summary>
    public static int Write(Tree tree, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var count = 0;
        foreach (var entry in tree)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(directory, CheckedName(entry.Name));
            switch (entry.Mode)
            {
                case Mode.Directory:
                    count += Write((Tree)entry.Target, path, cancellationToken);
                    break;
                case Mode.SymbolicLink:
                    File.CreateSymbolicLink(path, ((Blob)entry.Target).GetContentText());
                    count++;
                    break;
                case Mode.GitLink:
                    Directory.CreateDirectory(path);
                    break;
                default:
                    WriteFile((Blob)entry.Target, path, entry.Mode == Mode.ExecutableFile);
                    count++;
                    break;
            }
        }

        return count;
    }

    private static void WriteFile(Blob blob, string path, bool executable)
    {
        using (var source = blob.GetContentStream())
        using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            source.CopyTo(target);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, executable ? ReadOnlyFile | Executable : ReadOnlyFile);
        }
    }

    // Trees from a hostile repository could name entries ".." or contain separators; git refuses to
    // check those out, and so do we.
    private static string CheckedName(string name) =>
        name is "" or "." or ".." || name.Equals(".git", StringComparison.OrdinalIgnoreCase) || name.AsSpan().IndexOfAny('/', '\\', '\0') >= 0
            ? throw new InvalidDataException($"The commit's tree has an entry named \"{name}\", which cannot be checked out.")
            : name;
}
