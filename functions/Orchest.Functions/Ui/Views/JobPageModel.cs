using Orchest.Engine.Jobs;
using Orchest.Engine.Runs;
using Orchest.Functions.Projects;

namespace Orchest.Functions.Ui.Views;

/// <summary>A job's page: its definition and state, its latest ticks and its runs (newest first).</summary>
public sealed record JobPageModel
{
    public required JobSnapshot Job { get; init; }
    public required string ProjectName { get; init; }
    public IReadOnlyList<JobTick> Ticks { get; init; } = [];
    public IReadOnlyList<RunRecord> Runs { get; init; } = [];
    public string? MoreRuns { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];

    public JobDefinition Definition => Job.Definition;
    public JobStatus Status => Job.State.Status;
    public bool IsCron => Definition.Schedule.IsCron;
    public bool CanPause => IsCron && Status == JobStatus.Started;
    public bool CanResume => Status == JobStatus.Paused;
    public bool CanTrigger => IsCron ? Status is JobStatus.Started or JobStatus.Paused : Status == JobStatus.Pending;
    public bool CanCancel => !Status.IsFinal();

    /// <summary>The job's runs by id, for the history's links.</summary>
    public IReadOnlyDictionary<string, RunRecord> RunsById => Runs.ToDictionary(r => r.Id, StringComparer.Ordinal);
}
