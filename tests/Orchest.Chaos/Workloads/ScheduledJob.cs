namespace Orchest.Chaos.Workloads;

/// <summary>
/// The cron job every trial runs beside its planned runs: created over the API as the workload starts, ticking
/// every <see cref="Interval"/> through the kill (its orchestration may live on the victim), cancelled once the
/// planned runs were started and the kill is over. Each tick starts one run of a two-step chain of
/// <see cref="StepScript"/>; those runs are checked like any run, and the job against its history and runs.
/// </summary>
public static class ScheduledJob
{
    public const string PipelinePath = "job.orchest";

    public const string Cron = "*/2 * * * * *";

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>The chain each tick runs: a first step, then one reading its output.</summary>
    public static readonly IReadOnlyList<PlannedStep> Steps =
    [
        new("J1", [], 0.3, StepFailure.Never, Retried: false),
        new("J2", ["J1"], 0.3, StepFailure.Never, Retried: false),
    ];
}
