namespace Orchest.Engine.Jobs;

/// <summary>
/// Where a job declared in the repository (<c>.orchest/jobs/*.json</c>) comes from, and when a push starts it.
/// The file path identifies the job for good: a changed file updates the same job.
/// </summary>
public sealed record JobDeclaration
{
    /// <summary>Repository path of the job file, e.g. <c>.orchest/jobs/train.json</c>.</summary>
    public required string File { get; init; }

    /// <summary>The commit whose version of the file the job follows.</summary>
    public required string Commit { get; init; }

    /// <summary>The file's text at that commit (an unchanged file leaves the job as it is).</summary>
    public required string Content { get; init; }

    /// <summary>True when a push starts the job (<c>"on": {"push": ...}</c>).</summary>
    public bool OnPush { get; init; }

    /// <summary>Branches whose pushes start it; empty: the project's branch.</summary>
    public IReadOnlyList<string> Branches { get; init; } = [];

    /// <summary>Globs of repository paths; a push starts the job when one changed file matches one (empty: any change).</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];
}
