using System.Text.Json.Nodes;

namespace Orchest.Engine.Jobs;

/// <summary>
/// What a user asked a job to do (the API writes it; the job's orchestration reads it at every tick).
/// Environment variable values are not here: only their names (the values are sealed apart, as a run's).
/// </summary>
public sealed record JobDefinition
{
    public required string Id { get; init; }
    public required string ProjectId { get; init; }
    public required string Name { get; init; }

    /// <summary>Project-relative path of the pipeline file.</summary>
    public required string PipelinePath { get; init; }

    /// <summary>A branch (resolved at each tick), a tag or a commit sha; null: the project's branch.</summary>
    public string? Ref { get; init; }

    public required JobSchedule Schedule { get; init; }

    /// <summary>Orchest's job <c>parameters</c> list as given (null when absent).</summary>
    public JsonArray? Parameters { get; init; }

    /// <summary>The parameter grid as given (null when absent).</summary>
    public JsonObject? Grid { get; init; }

    /// <summary>Names of the job's environment variables (values are secrets, stored apart).</summary>
    public IReadOnlyList<string> EnvironmentNames { get; init; } = [];

    /// <summary>Ended runs kept per job, newest first (-1: all).</summary>
    public int MaxRetainedRuns { get; init; } = -1;

    /// <summary>Set when the job is declared in the repository (jobs as code); null for jobs made through the API.</summary>
    public JobDeclaration? Declaration { get; init; }

    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset? Updated { get; init; }

    /// <summary>Starts at 1; every update adds one.</summary>
    public long Revision { get; init; } = 1;

    /// <summary>Optimistic-concurrency token of the stored definition (an ETag in Table storage).</summary>
    public string ETag { get; init; } = "";
}
