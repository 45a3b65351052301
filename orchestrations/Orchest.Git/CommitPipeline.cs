using Orchest.Pipelines;

namespace Orchest.Git;

/// <summary>One pipeline file read at a commit, with the project files to validate it against.</summary>
/// <param name="Project">The commit's files (<see cref="ProjectCommit.Folder"/> is the validator's <c>IProjectFiles</c>).</param>
/// <param name="Path">Project-relative, forward slashes.</param>
/// <param name="Read">The parsed pipeline and any problems reading it.</param>
public sealed record CommitPipeline(ProjectCommit Project, string Path, PipelineReadResult Read);
