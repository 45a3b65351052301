namespace Orchest.Testing;

/// <summary>A project folder in a unique temp directory, deleted on dispose.</summary>
public sealed class TempProject : IDisposable
{
    public TempProject(string? name = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "orchest-tests", $"{name ?? "project"}-{Guid.NewGuid():n}");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string OrchestDirectory => Path.Combine(Root, ".orchest");

    /// <summary>Writes a file (creating folders) and returns its full path; <c>.sh</c> files become executable.</summary>
    public string Write(string relativePath, string content)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (relativePath.EndsWith(".sh", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(full, File.GetUnixFileMode(full) | UnixFileMode.UserExecute);
        }

        return full;
    }

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    public bool Exists(string relativePath) => Path.Exists(Path.Combine(Root, relativePath));

    /// <summary>Writes the pipeline file and every step file the builder declared but that does not exist yet.</summary>
    public string WritePipeline(PipelineBuilder pipeline, string path = "main.orchest")
    {
        foreach (var (file, content) in pipeline.StepFiles)
        {
            if (!Exists(file))
            {
                Write(file, content);
            }
        }

        return Write(path, pipeline.ToJson());
    }

    /// <summary>Every file below the project's .orchest folder (to prove nothing was written).</summary>
    public IReadOnlyList<string> OrchestFiles() =>
        Directory.Exists(OrchestDirectory)
            ? Directory.EnumerateFiles(OrchestDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A step process of a failed test may still hold a file; the temp folder is reclaimed later.
        }
    }
}
