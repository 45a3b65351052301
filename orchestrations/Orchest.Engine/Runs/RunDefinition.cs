namespace Orchest.Engine.Runs;

/// <summary>
/// The immutable inputs of a run that steps need but records must not show: the effective pipeline
/// document (migrated, with this run's parameters) and the user's environment variables.
/// </summary>
public sealed record RunDefinition
{
    public required string RunId { get; init; }

    /// <summary>The effective pipeline definition as JSON (what <c>ORCHEST_PIPELINE_PATH</c> points to).</summary>
    public required string PipelineJson { get; init; }

    /// <summary>Where the project files are: a folder (embedded) or a repository reference (served).</summary>
    public required string Workspace { get; init; }

    /// <summary>User environment variables (project &lt; pipeline &lt; job &lt; run). Values are secrets.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } =
        new Dictionary<string, string>(StringComparer.Ordinal);

    public override string ToString() => $"RunDefinition {{ RunId = {RunId}, Workspace = {Workspace} }}";
}
