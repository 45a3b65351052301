using Orchest.Engine.Projects;
using Orchest.Git;
using Orchest.Pipelines;

namespace Orchest.Functions.Api;

/// <summary>
/// A pipeline read at a ref and validated, as run creation and jobs need it: <see cref="RequestProblems"/>
/// say what is wrong with the request (no such file, which pipeline), <see cref="PipelineProblems"/> what is
/// wrong with the pipeline. <see cref="Pipeline"/> is set only when both are empty.
/// </summary>
internal sealed record PipelineAtRef(CommitPipeline? Read, PipelineDefinition? Pipeline, IReadOnlyList<string> RequestProblems, IReadOnlyList<string> PipelineProblems)
{
    /// <summary>
    /// Reads <paramref name="path"/> (or the commit's only pipeline when null) at <paramref name="reference"/>
    /// (a branch, tag or sha; null: the project's branch) and checks it, its files and its environments.
    /// </summary>
    /// <exception cref="GitRefNotFoundException">The ref names no commit.</exception>
    public static async Task<PipelineAtRef> LoadAsync(
        ProjectPipelines pipelines, string project, string? reference, string? path, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (path is null)
        {
            var listing = await pipelines.ListAsync(project, reference, cancellationToken);
            if (listing.Pipelines.Count == 1)
            {
                path = listing.Pipelines[0].Path;
            }
            else
            {
                problems.Add(listing.Pipelines.Count == 0
                    ? $"Commit {listing.Commit} has no pipeline (*.orchest file)."
                    : $"\"pipeline\" is required: commit {listing.Commit} has {listing.Pipelines.Count} pipelines ({string.Join(", ", listing.Pipelines.Select(p => p.Path))}).");
            }
        }

        var read = path is null ? null : await pipelines.ReadAsync(project, reference, path, cancellationToken);
        if (path is not null && read is null)
        {
            problems.Add($"Pipeline file \"{path}\" does not exist at that commit (or lies outside the project).");
        }

        if (read is null)
        {
            return new PipelineAtRef(null, null, problems, []);
        }

        var (pipeline, pipelineProblems) = PipelineCheck.Run(read.Project.Folder, read.Path);
        var messages = pipelineProblems.Select(p => p.Message).ToList();
        return new PipelineAtRef(read, problems.Count == 0 ? pipeline : null, problems, messages);
    }
}
