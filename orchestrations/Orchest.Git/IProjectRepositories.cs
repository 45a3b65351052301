namespace Orchest.Git;

/// <summary>
/// The project registry as git sees it (the HTTP host implements it over its projects table).
/// </summary>
public interface IProjectRepositories
{
    /// <summary>The project's repository, or null when no project has this id.</summary>
    Task<ProjectSource?> FindAsync(string projectId, CancellationToken cancellationToken = default);
}
