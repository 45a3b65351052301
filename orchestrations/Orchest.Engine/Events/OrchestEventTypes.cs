using Orchest.Engine.Runs;

namespace Orchest.Engine.Events;

/// <summary>
/// The public event type names (stable: subscriptions and clients match on them). Orchest's names where
/// Orchest had one (its notification types, inventory §7.1), ours in the same colon style where it had
/// none: a run's events are named after where the run came from (an API call is Orchest's interactive
/// session run, a job's run its one-off or cron job run), so <c>*:pipeline-run:failed</c> matches every
/// failed run and <c>*:step:failed</c> every failed step.
/// </summary>
public static class OrchestEventTypes
{
    /// <summary><see cref="RunRecord.JobKind"/> of a one-off job's runs.</summary>
    public const string OneOffJob = "one-off";

    /// <summary><see cref="RunRecord.JobKind"/> of a cron job's runs.</summary>
    public const string CronJob = "cron";

    public const string InteractiveRunPrefix = "project:pipeline:interactive-session:pipeline-run";
    public const string OneOffJobRunPrefix = "project:one-off-job:pipeline-run";
    public const string CronJobRunPrefix = "project:cron-job:run:pipeline-run";

    /// <summary>Job events (Orchest's names), raised through <see cref="IJobEvents"/>.</summary>
    public static class Jobs
    {
        public const string OneOffCreated = "project:one-off-job:created";
        public const string OneOffStarted = "project:one-off-job:started";
        public const string OneOffUpdated = "project:one-off-job:updated";
        public const string OneOffCancelled = "project:one-off-job:cancelled";
        public const string OneOffFailed = "project:one-off-job:failed";
        public const string OneOffSucceeded = "project:one-off-job:succeeded";
        public const string OneOffDeleted = "project:one-off-job:deleted";
        public const string CronCreated = "project:cron-job:created";
        public const string CronStarted = "project:cron-job:started";
        public const string CronUpdated = "project:cron-job:updated";
        public const string CronPaused = "project:cron-job:paused";
        public const string CronUnpaused = "project:cron-job:unpaused";
        public const string CronCancelled = "project:cron-job:cancelled";
        public const string CronFailed = "project:cron-job:failed";
        public const string CronSucceeded = "project:cron-job:succeeded";
        public const string CronDeleted = "project:cron-job:deleted";

        /// <summary>One tick of a cron job (all its runs): started, then failed at the first failed run or succeeded when all succeeded.</summary>
        public const string CronRunStarted = "project:cron-job:run:started";
        public const string CronRunFailed = "project:cron-job:run:failed";
        public const string CronRunSucceeded = "project:cron-job:run:succeeded";

        public static readonly IReadOnlyList<string> All =
        [
            OneOffCreated, OneOffStarted, OneOffUpdated, OneOffCancelled, OneOffFailed, OneOffSucceeded, OneOffDeleted,
            CronCreated, CronStarted, CronUpdated, CronPaused, CronUnpaused, CronCancelled, CronFailed, CronSucceeded, CronDeleted,
            CronRunStarted, CronRunFailed, CronRunSucceeded,
        ];
    }

    /// <summary>Our run event names (<see cref="RunEventTypes"/>) and the suffix of their public type.</summary>
    private static readonly IReadOnlyDictionary<string, string> Suffixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [RunEventTypes.RunCreated] = "created",
        [RunEventTypes.RunStarted] = "started",
        [RunEventTypes.RunSucceeded] = "succeeded",
        [RunEventTypes.RunFailed] = "failed",
        [RunEventTypes.RunAborted] = "cancelled",
        [RunEventTypes.RunCancelRequested] = "cancel-requested",
        [RunEventTypes.StepStarted] = "step:started",
        [RunEventTypes.StepSucceeded] = "step:succeeded",
        [RunEventTypes.StepFailed] = "step:failed",
        [RunEventTypes.StepRetrying] = "step:retrying",
        [RunEventTypes.StepAborted] = "step:aborted",
        [RunEventTypes.StepWorkerLost] = "step:worker-lost",
    };

    /// <summary>A job file of the repository (<c>.orchest/jobs/*.json</c>) is not valid at a pushed commit (ours).</summary>
    public const string JobFileInvalid = "project:git:job-file:invalid";

    /// <summary>Every type an event can have: what a subscription's patterns are checked against.</summary>
    public static readonly IReadOnlyList<string> All =
        new[] { InteractiveRunPrefix, OneOffJobRunPrefix, CronJobRunPrefix }
            .SelectMany(prefix => Suffixes.Values.Select(suffix => prefix + ":" + suffix))
            .Concat(Jobs.All)
            .Append(JobFileInvalid)
            .ToList();

    /// <summary>The public type of a run's event, e.g. <c>run.failed</c> of a cron job's run: <c>project:cron-job:run:pipeline-run:failed</c>.</summary>
    /// <remarks>
    /// A run event type without a public name (one added to the engine later) gets its own name in this style
    /// rather than an exception: publishing must never stall a run's projection.
    /// </remarks>
    public static string Of(RunEvent runEvent, RunRecord run) =>
        RunPrefix(run) + ":" + (Suffixes.TryGetValue(runEvent.Type, out var suffix) ? suffix : runEvent.Type.Replace('.', ':').Replace('_', '-'));

    public static string RunPrefix(RunRecord run) => run.JobId is null
        ? InteractiveRunPrefix
        : string.Equals(run.JobKind, CronJob, StringComparison.Ordinal) ? CronJobRunPrefix : OneOffJobRunPrefix;
}
