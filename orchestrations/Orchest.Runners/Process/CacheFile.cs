namespace Orchest.Runners.Process;

/// <summary>Files of a content-keyed cache: written once, whole, by whoever comes first.</summary>
internal static class CacheFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> through a temporary file and a rename
    /// that never replaces: a reader sees no file or the whole file, and an existing file keeps its
    /// timestamp (which the build's up-to-date check relies on).
    /// </summary>
    public static void WriteOnce(string path, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():n}.tmp";
        File.WriteAllBytes(temporary, content.ToArray());
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Someone else wrote the same content first.
            File.Delete(temporary);
        }
    }
}
