namespace Orchest.Pipelines.Tests.Support;

/// <summary>An in-memory project: a set of files, directories and escaping symlinks, and environments.</summary>
public sealed class FakeProjectFiles : IProjectFiles
{
    private readonly Dictionary<string, ProjectPathStatus> paths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EnvironmentDefinition> environments = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, EnvironmentDefinition> Environments => environments;

    public ProjectPathStatus GetStatus(string projectRelativePath) =>
        paths.GetValueOrDefault(projectRelativePath, ProjectPathStatus.Missing);

    public FakeProjectFiles WithFiles(params string[] files)
    {
        foreach (var file in files)
        {
            paths[file] = ProjectPathStatus.File;
        }

        return this;
    }

    public FakeProjectFiles WithDirectory(string path)
    {
        paths[path] = ProjectPathStatus.Directory;
        return this;
    }

    public FakeProjectFiles WithLinkOutside(string path)
    {
        paths[path] = ProjectPathStatus.OutsideProject;
        return this;
    }

    public FakeProjectFiles WithEnvironment(string uuid)
    {
        var properties = $$"""{"uuid": "{{uuid}}", "name": "Python 3", "language": "python", "base_image": "orchest/base-kernel-py", "gpu_support": false}""";
        environments[uuid] = EnvironmentDefinition.Parse(uuid, properties, null).Environment!;
        return this;
    }

    /// <summary>Every step file of the pipeline exists, and every environment it names.</summary>
    public static FakeProjectFiles For(PipelineDefinition pipeline)
    {
        var files = new FakeProjectFiles();
        foreach (var step in pipeline.Steps)
        {
            if (step.ProjectPath is { } path)
            {
                files.WithFiles(path);
            }

            if (step.Environment.Length > 0)
            {
                files.WithEnvironment(step.Environment);
            }
        }

        return files;
    }
}
