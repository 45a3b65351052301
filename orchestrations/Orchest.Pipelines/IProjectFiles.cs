namespace Orchest.Pipelines;

/// <summary>
/// The engine's view of a project's files, so that validation stays free of I/O. Paths are
/// project-relative with forward slashes.
/// </summary>
public interface IProjectFiles
{
    ProjectPathStatus GetStatus(string projectRelativePath);

    /// <summary>The project's environments (.orchest/environments/&lt;uuid&gt;/), by uuid.</summary>
    IReadOnlyDictionary<string, EnvironmentDefinition> Environments { get; }
}
