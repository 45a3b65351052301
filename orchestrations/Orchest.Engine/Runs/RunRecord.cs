using Orchest.Pipelines;

namespace Orchest.Engine.Runs;

/// <summary>
/// The run row: what was asked for and where it stands. Holds no secrets (environment variable values
/// live in <see cref="RunDefinition"/>, which stores keep apart from records and events).
/// </summary>
public sealed record RunRecord
{
    public required string Id { get; init; }
    public required string ProjectId { get; init; }
    public required string PipelinePath { get; init; }
    public required string PipelineUuid { get; init; }
    public required string PipelineName { get; init; }
    public string? Commit { get; init; }
    public required RunType RunType { get; init; }
    public IReadOnlyList<string> RequestedSteps { get; init; } = [];
    public required string SessionType { get; init; }
    public string? JobId { get; init; }

    /// <summary>For runs of a job: "one-off" or "cron" (<see cref="Events.OrchestEventTypes.OneOffJob"/>); names the run's event types.</summary>
    public string? JobKind { get; init; }
    public required int MaxStepsParallelism { get; init; }
    public required FailurePolicy FailurePolicy { get; init; }
    public ExecutionStatus Status { get; init; } = ExecutionStatus.Pending;
    public bool CancelRequested { get; init; }
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Finished { get; init; }

    /// <summary>Events recorded for this run so far; the next event gets this number (events are numbered densely from 0).</summary>
    public long EventCount { get; init; }

    /// <summary>Optimistic-concurrency token of the run row (an ETag in Table storage).</summary>
    public string Version { get; init; } = "";
}
