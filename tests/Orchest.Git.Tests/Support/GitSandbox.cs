using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orchest.Engine.Runs;
using Orchest.Pipelines;

namespace Orchest.Git.Tests.Support;

/// <summary>
/// A cache folder, a project registry and the git services over them, as a host builds them. Another
/// <see cref="Host"/> over the same cache stands for a second process on the same machine.
/// </summary>
public sealed class GitSandbox : IDisposable
{
    public GitSandbox(Action<GitProjectOptions>? configure = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "orchest-tests", $"git-cache-{Guid.NewGuid():n}");
        Options = new GitProjectOptions { CacheDirectory = Path.Combine(Root, "cache"), FetchFreshness = TimeSpan.Zero };
        configure?.Invoke(Options);
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        Host = NewHost();
    }

    public string Root { get; }

    public GitProjectOptions Options { get; }

    public IConfiguration Configuration { get; }

    public InMemoryProjects Projects { get; } = new();

    public LogCapture Logs { get; } = new();

    public GitHost Host { get; }

    public string CacheDirectory => Options.CacheDirectory!;

    public ProjectMirrors Mirrors => Host.Mirrors;

    public MaterialisedCommits Commits => Host.Commits;

    public GitRunWorkspaces Workspaces => Host.Workspaces;

    public ProjectPipelines Pipelines => Host.Pipelines;

    /// <summary>Registers a project and returns its id.</summary>
    public string Register(string url, string branch = "main", string? credential = null)
    {
        var projectId = $"p{Guid.NewGuid():n}";
        Projects.Register(projectId, new ProjectSource(url, branch, credential));
        return projectId;
    }

    /// <summary>Fresh service instances over the same cache, registry and logs.</summary>
    public GitHost NewHost()
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var mirrors = new ProjectMirrors(Projects, new GitCredentials(Configuration), options, Logs.For<ProjectMirrors>());
        var commits = new MaterialisedCommits(mirrors, options, Logs.For<MaterialisedCommits>());
        return new GitHost(
            mirrors,
            commits,
            new GitRunWorkspaces(commits, options, Logs.For<GitRunWorkspaces>()),
            new ProjectPipelines(mirrors, commits));
    }

    public static (RunRecord Run, RunDefinition Definition) Run(string projectId, string commit, string? runId = null)
    {
        runId ??= Guid.NewGuid().ToString();
        var run = new RunRecord
        {
            Id = runId,
            ProjectId = projectId,
            PipelinePath = "main.orchest",
            PipelineUuid = "pipeline",
            PipelineName = "Pipeline",
            Commit = commit,
            RunType = RunType.Full,
            SessionType = "noninteractive",
            MaxStepsParallelism = 0,
            FailurePolicy = FailurePolicy.FailFast,
            Created = DateTimeOffset.UtcNow,
        };
        var definition = new RunDefinition { RunId = runId, PipelineJson = "{}", Workspace = GitWorkspaceReference.Format(projectId, commit) };
        return (run, definition);
    }

    /// <summary>Every file below the cache whose bytes contain <paramref name="text"/> (relative paths).</summary>
    public IReadOnlyList<string> FilesContaining(string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return Directory.EnumerateFiles(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Where(f => File.ReadAllBytes(f).AsSpan().IndexOf(needle) >= 0)
            .Select(f => Path.GetRelativePath(Root, f))
            .ToList();
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

/// <summary>The git services of one host process.</summary>
public sealed record GitHost(ProjectMirrors Mirrors, MaterialisedCommits Commits, GitRunWorkspaces Workspaces, ProjectPipelines Pipelines);
