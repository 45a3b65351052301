namespace Orchest.Git;

/// <summary>File operations on working copies: a writable copy of a materialised commit, and removal.</summary>
internal static class WorkingCopy
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="target"/>: real copies (a hardlink would let a step
    /// write through to the shared commit), modes kept plus the owner's write bit, symlinks re-created as links.
    /// </summary>
    public static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(destination, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                Copy(directory.FullName, destination);
            }
            else
            {
                File.Copy(entry.FullName, destination);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(destination, entry.UnixFileMode | UnixFileMode.UserWrite);
                }
            }
        }
    }

    /// <summary>Deletes a tree, first moving it aside so a half-deleted copy is never mistaken for a whole one.</summary>
    public static void Delete(string path)
    {
        var parent = Path.GetDirectoryName(path)!;
        var trash = Path.Combine(parent, $".trash-{Path.GetFileName(path)}-{Guid.NewGuid():n}");
        Directory.Move(path, trash);
        try
        {
            Directory.Delete(trash, recursive: true);
        }
        catch (UnauthorizedAccessException) when (!OperatingSystem.IsWindows())
        {
            // A step may have left a folder without write permission; give the owner write back and retry.
            foreach (var directory in Directory.EnumerateDirectories(trash, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead);
            }

            Directory.Delete(trash, recursive: true);
        }
    }
}
