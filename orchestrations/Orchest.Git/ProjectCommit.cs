using Orchest.Engine.Projects;

namespace Orchest.Git;

/// <summary>A project's files at one commit (materialised, read-only): what the validator checks a pipeline against.</summary>
public sealed record ProjectCommit(string ProjectId, string Commit, ProjectFolder Folder);
