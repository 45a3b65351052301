using Orchest.Chaos.Trials;
using Orchest.Chaos.Workloads;
using Orchest.Engine.Runs;

namespace Orchest.Chaos.Checks;

/// <summary>
/// One run of a trial at its end: what the trial did with it, its status (API), its events (storage) and
/// its steps. <see cref="Plan"/> is null for a run the trial never planned (none should exist).
/// </summary>
public sealed record ObservedRun(string RunId, PlannedRun? Plan, SubmittedRun? Submitted)
{
    /// <summary>Null when the API did not know the run (or no host answered: see <see cref="Answer"/>).</summary>
    public string? Status { get; init; }

    /// <summary>How GET /api/runs/{id} went at the end (which host, which status, or why none answered).</summary>
    public ApiAnswer? Answer { get; init; }

    public string? PipelineUuid { get; init; }

    /// <summary>The pipeline file the run ran.</summary>
    public string? Pipeline { get; init; }

    /// <summary>
    /// A run of the trial's cron job: its pipeline is shared by every tick's run, so its steps' LATEST and
    /// COMMITTED pointers are shared too (<see cref="CommitChecks"/>).
    /// </summary>
    public bool SharesItsPipeline => Plan is null && Pipeline == Workloads.ScheduledJob.PipelinePath;

    /// <summary>The commit the run ran at.</summary>
    public string? Commit { get; init; }

    public DateTimeOffset? Created { get; init; }

    public DateTimeOffset? Finished { get; init; }

    /// <summary>Listed under its project (GET /api/projects/{project}/runs).</summary>
    public bool Listed { get; init; }

    public IReadOnlyList<ObservedStep> Steps { get; init; } = [];

    public IReadOnlyList<RunEvent> Events { get; init; } = [];

    public bool CancelSent => Submitted?.Cancel is not null;

    public bool CancelRequested => Events.Any(e => e.Type == RunEventTypes.RunCancelRequested);

    public ObservedStep? Step(string title) => Steps.FirstOrDefault(s => s.Title == title);

    public ObservedStep? StepByUuid(string uuid) => Steps.FirstOrDefault(s => s.Uuid == uuid);
}
