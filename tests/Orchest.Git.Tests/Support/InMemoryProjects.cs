using System.Collections.Concurrent;

namespace Orchest.Git.Tests.Support;

/// <summary>The project registry the HTTP host keeps in a table, as a dictionary.</summary>
public sealed class InMemoryProjects : IProjectRepositories
{
    private readonly ConcurrentDictionary<string, ProjectSource> _projects = new(StringComparer.Ordinal);

    public void Register(string projectId, ProjectSource source) => _projects[projectId] = source;

    public Task<ProjectSource?> FindAsync(string projectId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_projects.GetValueOrDefault(projectId));
}
