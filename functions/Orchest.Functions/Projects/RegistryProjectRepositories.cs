using Orchest.Git;

namespace Orchest.Functions.Projects;

/// <summary>Lets the git workspaces find a project's repository in the registry.</summary>
internal sealed class RegistryProjectRepositories(TableProjectRegistry registry) : IProjectRepositories
{
    public async Task<ProjectSource?> FindAsync(string projectId, CancellationToken cancellationToken = default) =>
        await registry.GetAsync(projectId, cancellationToken) is { } project
            ? new ProjectSource(project.Repository, project.Branch, project.Credential)
            : null;
}
