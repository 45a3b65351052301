using System.Text.Json.Nodes;
using Orchest.Pipelines;

namespace Orchest.Engine.Runs;

/// <summary>What a caller asks for: which pipeline, which steps, with which overrides.</summary>
public sealed record RunRequest
{
    public required string ProjectId { get; init; }

    /// <summary>Where the project files are (embedded: the project folder).</summary>
    public required string Workspace { get; init; }
    public string? Commit { get; init; }
    public RunType RunType { get; init; } = RunType.Full;
    public IReadOnlyList<string> Steps { get; init; } = [];

    /// <summary>Merged key by key over the pipeline's parameters.</summary>
    public JsonObject? PipelineParameters { get; init; }

    /// <summary>Per step uuid, merged key by key over the step's parameters.</summary>
    public IReadOnlyDictionary<string, JsonObject>? StepParameters { get; init; }

    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();
    public string SessionType { get; init; } = "interactive";
    public string? JobId { get; init; }

    /// <summary>For a job's run: see <see cref="RunRecord.JobTick"/>.</summary>
    public long? JobTick { get; init; }

    /// <summary>For a job's run: see <see cref="RunRecord.JobRunIndex"/>.</summary>
    public int? JobRunIndex { get; init; }

    /// <summary>For a job's run: see <see cref="RunRecord.JobParameters"/> (the pipeline given to the planner has them applied already).</summary>
    public JsonObject? JobParameters { get; init; }

    /// <summary>For runs of a job: "one-off" or "cron" (names the run's event types, as Orchest's did).</summary>
    public string? JobKind { get; init; }

    public override string ToString() => $"RunRequest {{ ProjectId = {ProjectId}, RunType = {RunType} }}";
}
