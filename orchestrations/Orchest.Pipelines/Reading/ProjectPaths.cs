namespace Orchest.Pipelines.Reading;

/// <summary>
/// Turns a step's file_path (relative to the pipeline file's folder, as Orchest stored it) into a
/// project-relative path, without touching the disk.
/// </summary>
internal static class ProjectPaths
{
    /// <summary>Forward slashes, no leading "./" or "/": the form every path in the model uses.</summary>
    public static string Normalise(string path)
    {
        var segments = Segments(path).Where(s => s != ".");
        return string.Join('/', segments);
    }

    public static string FolderOf(string pipelinePath)
    {
        var slash = pipelinePath.LastIndexOf('/');
        return slash < 0 ? "" : pipelinePath[..slash];
    }

    /// <summary>"/x", "\x" and "C:..." are absolute (Orchest allowed "/data/..."; we run inside the project only).</summary>
    public static bool IsAbsolute(string filePath) =>
        filePath.StartsWith('/') || filePath.StartsWith('\\')
        || (filePath.Length >= 2 && char.IsAsciiLetter(filePath[0]) && filePath[1] == ':');

    /// <summary>
    /// The project-relative path of <paramref name="filePath"/> seen from <paramref name="pipelineFolder"/>,
    /// or null when it is empty, absolute, or climbs above the project root. Backslashes count as
    /// separators, since a file written on Windows must still resolve.
    /// </summary>
    public static string? Resolve(string pipelineFolder, string filePath)
    {
        if (filePath.Length == 0 || IsAbsolute(filePath))
        {
            return null;
        }

        var stack = new List<string>();
        foreach (var segment in Segments(pipelineFolder).Concat(Segments(filePath)))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (stack.Count == 0)
                {
                    return null;
                }

                stack.RemoveAt(stack.Count - 1);
                continue;
            }

            stack.Add(segment);
        }

        return string.Join('/', stack);
    }

    private static IEnumerable<string> Segments(string path) =>
        path.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
}
