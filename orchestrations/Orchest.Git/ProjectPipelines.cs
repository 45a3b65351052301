using Orchest.Engine.Projects;
using Orchest.Pipelines;

namespace Orchest.Git;

/// <summary>
/// What the API asks of a project at a ref: which pipelines it has, and one pipeline's definition for
/// validation before a run is created. Works on the materialised commit, so answers are exactly what a
/// run of that commit would see.
/// </summary>
public sealed class ProjectPipelines(ProjectMirrors mirrors, MaterialisedCommits commits)
{
    /// <summary>The project's files at <paramref name="reference"/> (a branch, tag or sha; null for the project's branch).</summary>
    /// <exception cref="GitRefNotFoundException">The ref names no commit.</exception>
    /// <exception cref="GitRepositoryException">The repository could not be fetched.</exception>
    public async Task<ProjectCommit> OpenAsync(string projectId, string? reference, CancellationToken cancellationToken = default)
    {
        var commit = await mirrors.ResolveAsync(projectId, reference, cancellationToken);
        var materialised = await commits.MaterialiseAsync(projectId, commit, cancellationToken);
        return new ProjectCommit(projectId, commit, new ProjectFolder(materialised.Directory));
    }

    /// <summary>Every <c>*.orchest</c> file at <paramref name="reference"/> with its name and step count (or its problems).</summary>
    public async Task<PipelineListing> ListAsync(string projectId, string? reference, CancellationToken cancellationToken = default)
    {
        var project = await OpenAsync(projectId, reference, cancellationToken);
        var pipelines = project.Folder.DiscoverPipelines().Select(path => Summarise(project.Folder, path)).ToList();
        return new PipelineListing(project.Commit, pipelines);
    }

    /// <summary>
    /// The pipeline file <paramref name="pipelinePath"/> (project-relative) at <paramref name="reference"/>,
    /// or null when the commit has no such file inside the project.
    /// </summary>
    public async Task<CommitPipeline?> ReadAsync(string projectId, string? reference, string pipelinePath, CancellationToken cancellationToken = default)
    {
        var project = await OpenAsync(projectId, reference, cancellationToken);
        if (Path.IsPathRooted(pipelinePath) || project.Folder.GetStatus(pipelinePath) != ProjectPathStatus.File)
        {
            return null;
        }

        var path = project.Folder.ToProjectPath(Path.GetFullPath(Path.Combine(project.Folder.Root, pipelinePath)));
        return new CommitPipeline(project, path, project.Folder.ReadPipeline(path));
    }

    private static PipelineSummary Summarise(ProjectFolder folder, string path)
    {
        var read = folder.ReadPipeline(path);
        return read.Pipeline is { } pipeline
            ? new PipelineSummary(path, pipeline.Uuid, pipeline.Name, pipeline.Steps.Count, read.Problems)
            : new PipelineSummary(path, null, null, 0, read.Problems);
    }
}
