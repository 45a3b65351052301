using System.Text.Json.Nodes;
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

    /// <summary>For a job's run: the job's tick that started it (1, 2, ... in the job's history).</summary>
    public long? JobTick { get; init; }

    /// <summary>For a job's run: its parameter set's position in the tick (Orchest's job_run_pipeline_run_index).</summary>
    public int? JobRunIndex { get; init; }

    /// <summary>For a job's run: its parameter set as given, steps by uuid (parameters are not secrets; Orchest showed them too).</summary>
    public JsonObject? JobParameters { get; init; }

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
