using System.Security.Cryptography;
using System.Text;
using Orchest.Pipelines;

namespace Orchest.Engine.Projects;

/// <summary>
/// A project on disk: finds its pipelines, reads them and its environments, and answers the
/// validator's questions about step files (including symlinks that point out of the project).
/// </summary>
public sealed class ProjectFolder : IProjectFiles
{
    private IReadOnlyDictionary<string, EnvironmentDefinition>? _environments;

    public ProjectFolder(string root)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        RealRoot = RealPath.Resolve(Root);
    }

    public string Root { get; }

    /// <summary>The root with symlinks resolved (step files must resolve inside it).</summary>
    public string RealRoot { get; }

    /// <summary>A stable id for a project folder (Orchest's project uuid), derived from its real path.</summary>
    public string ProjectId => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(RealRoot)).AsSpan(0, 16)).ToString();

    public string OrchestDirectory => Path.Combine(Root, ".orchest");

    public IReadOnlyDictionary<string, EnvironmentDefinition> Environments => _environments ??= LoadEnvironments().Environments;

    /// <summary>Project-relative paths (forward slashes) of every <c>*.orchest</c> file, sorted.</summary>
    public IReadOnlyList<string> DiscoverPipelines()
    {
        var found = new List<string>();
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(Root)]);
        while (pending.TryPop(out var dir))
        {
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = dir.EnumerateFileSystemInfos().ToList();
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (entry is DirectoryInfo sub)
                {
                    if (!PipelineDiscovery.IsSkippedDirectory(sub.Name) && sub.LinkTarget is null)
                    {
                        pending.Push(sub);
                    }
                }
                else if (PipelineDiscovery.IsPipelineFile(entry.Name))
                {
                    found.Add(ToProjectPath(entry.FullName));
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>Reads and parses one pipeline file (project-relative path).</summary>
    public PipelineReadResult ReadPipeline(string pipelinePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, pipelinePath));
        var relative = ToProjectPath(full);
        return PipelineFile.Parse(File.ReadAllText(full), relative);
    }

    public ProjectPathStatus GetStatus(string projectRelativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, projectRelativePath));
        if (!IsInside(full, Root))
        {
            return ProjectPathStatus.OutsideProject;
        }

        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return ProjectPathStatus.Missing;
        }

        if (!IsInside(RealPath.Resolve(full), RealRoot))
        {
            return ProjectPathStatus.OutsideProject;
        }

        return Directory.Exists(full) ? ProjectPathStatus.Directory : ProjectPathStatus.File;
    }

    /// <summary>Environments under <c>.orchest/environments/&lt;uuid&gt;/</c>, with any problems reading them.</summary>
    /// <remarks>Problems are keyed by the environment folder's name (its uuid).</remarks>
    public (IReadOnlyDictionary<string, EnvironmentDefinition> Environments, ILookup<string, PipelineProblem> Problems) LoadEnvironments()
    {
        var environments = new Dictionary<string, EnvironmentDefinition>(StringComparer.Ordinal);
        var problems = new List<(string Uuid, PipelineProblem Problem)>();
        var folder = new DirectoryInfo(Path.Combine(OrchestDirectory, "environments"));
        if (folder.Exists)
        {
            foreach (var dir in folder.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
            {
                var properties = Path.Combine(dir.FullName, "properties.json");
                if (!File.Exists(properties))
                {
                    continue;
                }

                var script = Path.Combine(dir.FullName, "setup_script.sh");
                var result = EnvironmentDefinition.Parse(
                    dir.Name, File.ReadAllText(properties), File.Exists(script) ? File.ReadAllText(script) : null);
                problems.AddRange(result.Problems.Select(p => (dir.Name, p)));
                if (result.Environment is { } environment)
                {
                    environments[environment.Uuid] = environment;
                }
            }
        }

        _environments = environments;
        return (environments, problems.ToLookup(p => p.Uuid, p => p.Problem, StringComparer.Ordinal));
    }

    public string ToProjectPath(string fullPath) =>
        Path.GetRelativePath(Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    private static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
