using Orchest.Engine.Runs;

namespace Orchest.Engine.Events;

/// <summary>
/// One event as clients, streams and webhooks see it (README "Events and webhooks"): the transition it
/// records with what a reader needs to act on it without another call. Flat, snake_case in JSON; absent
/// values are null. Never carries parameter or environment values; log tails have them masked.
/// </summary>
public sealed record OrchestEvent
{
    /// <summary>Unique and stable across redelivery: receivers de-duplicate by it. A run's events: "&lt;run&gt;-&lt;sequence:D6&gt;".</summary>
    public required string Id { get; init; }

    /// <summary>The public type (<see cref="OrchestEventTypes"/>), e.g. <c>project:cron-job:run:pipeline-run:failed</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Our short name of the transition, e.g. <c>run.failed</c>, <c>step.started</c>, <c>job.paused</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>When the transition happened (a step's start is the time its host began it).</summary>
    public required DateTimeOffset Time { get; init; }

    public required string Project { get; init; }

    /// <summary>Position in the run's event log (dense from 0), for run events.</summary>
    public long? Sequence { get; init; }

    public string? Pipeline { get; init; }
    public string? PipelinePath { get; init; }
    public string? PipelineName { get; init; }
    public string? Job { get; init; }

    /// <summary>"one-off" or "cron" for job events and job runs' events.</summary>
    public string? JobKind { get; init; }

    public string? Run { get; init; }
    public string? Step { get; init; }
    public string? StepTitle { get; init; }

    /// <summary>The run's status for run events, the step's for step events (PENDING, STARTED, SUCCESS, FAILURE, ABORTED).</summary>
    public string? Status { get; init; }

    public int? Attempt { get; init; }
    public string? Commit { get; init; }
    public string? Message { get; init; }

    /// <summary>For a failed run: its failed steps with the tail of their logs.</summary>
    public IReadOnlyList<FailedStep>? FailedSteps { get; init; }

    /// <summary>The public event of a run's event (<paramref name="failedSteps"/> only for <c>run.failed</c>).</summary>
    public static OrchestEvent FromRun(RunEvent runEvent, RunRecord run, string? stepTitle, IReadOnlyList<FailedStep>? failedSteps = null) => new()
    {
        Id = runEvent.Id,
        Type = OrchestEventTypes.Of(runEvent, run),
        Kind = runEvent.Type,
        Time = runEvent.Timestamp,
        Project = run.ProjectId,
        Sequence = runEvent.Sequence,
        Pipeline = run.PipelineUuid,
        PipelinePath = run.PipelinePath,
        PipelineName = run.PipelineName,
        Job = run.JobId,
        JobKind = run.JobId is null ? null : run.JobKind ?? OrchestEventTypes.OneOffJob,
        Run = run.Id,
        Step = runEvent.StepUuid,
        StepTitle = runEvent.StepUuid is null ? null : stepTitle,
        Status = runEvent.Status.ToWire(),
        Attempt = runEvent.Attempt,
        Commit = run.Commit,
        Message = runEvent.Message,
        FailedSteps = runEvent.Type == RunEventTypes.RunFailed ? failedSteps ?? [] : null,
    };
}
