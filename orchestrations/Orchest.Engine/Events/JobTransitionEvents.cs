using System.Globalization;
using Orchest.Engine.Jobs;
using Orchest.Engine.Runs;

namespace Orchest.Engine.Events;

/// <summary>
/// The job events a recorded job change stands for (README "Events and webhooks", job events), with ids and
/// times taken only from what was recorded: the same change recorded again (a retried activity, a replayed
/// orchestration) gives the same events, so publishing them again adds nothing. A status reached once per job
/// (started, succeeded, failed, cancelled) is <c>&lt;job&gt;-&lt;verb&gt;</c>; one that can repeat (paused,
/// unpaused) adds the time it was recorded; a tick is <c>&lt;job&gt;-tick-&lt;sequence&gt;-&lt;verb&gt;</c>; an
/// update <c>&lt;job&gt;-updated-&lt;revision&gt;</c>.
/// </summary>
public static class JobTransitionEvents
{
    /// <summary>A job was stored: created, and started at once when it is a confirmed cron job.</summary>
    public static IReadOnlyList<JobEvent> OfCreated(JobDefinition job, JobState state)
    {
        var cron = job.Schedule.IsCron;
        var events = new List<JobEvent>
        {
            Event(job, cron ? OrchestEventTypes.Jobs.CronCreated : OrchestEventTypes.Jobs.OneOffCreated, "created", state.Updated, state.Status),
        };
        if (state.Status == JobStatus.Started)
        {
            events.Add(Event(job, cron ? OrchestEventTypes.Jobs.CronStarted : OrchestEventTypes.Jobs.OneOffStarted, "started", state.Updated, state.Status));
        }

        return events;
    }

    /// <summary>A job's definition changed (its revision).</summary>
    public static JobEvent OfUpdated(JobDefinition job, JobStatus status) => Event(
        job, job.Schedule.IsCron ? OrchestEventTypes.Jobs.CronUpdated : OrchestEventTypes.Jobs.OneOffUpdated,
        "updated-" + job.Revision.ToString(CultureInfo.InvariantCulture), job.Updated ?? job.Created, status, $"Revision {job.Revision}.");

    /// <summary>What <see cref="Ports.IJobStore.ApplyAsync"/> recorded: a status change, a tick, both or neither.</summary>
    public static IReadOnlyList<JobEvent> Of(JobDefinition job, JobProgress progress)
    {
        var cron = job.Schedule.IsCron;
        var state = progress.State;
        var events = new List<JobEvent>();
        if (progress.IsTransition && Transition(cron, progress.PreviousStatus, state.Status) is { } transition)
        {
            var key = transition.Repeats ? transition.Verb + "-" + Stamp(state.Updated) : transition.Verb;
            events.Add(Event(job, transition.Type, key, state.Updated, state.Status, state.Message));
        }

        // A cron tick is a "run" of the job (Orchest's project:cron-job:run:*); a one-off job's tick is its start.
        if (cron && progress.Tick is { Kind: not JobTickKind.Skipped } tick)
        {
            var prefix = "tick-" + tick.Sequence.ToString(CultureInfo.InvariantCulture);
            events.Add(tick.RunIds.Count > 0
                ? Event(job, OrchestEventTypes.Jobs.CronRunStarted, prefix + "-started", state.Updated, "STARTED",
                    $"Tick {tick.Sequence} ({tick.Kind.ToString().ToLowerInvariant()}, due {tick.ScheduledFor:O}) started {tick.RunIds.Count} runs.", tick.RunIds[0])
                : Event(job, OrchestEventTypes.Jobs.CronRunFailed, prefix + "-failed", state.Updated, "FAILURE",
                    $"Tick {tick.Sequence} started no runs: {string.Join(" ", tick.Problems)}"));
        }

        return events;
    }

    /// <summary>
    /// A cron tick's roll-up once every run it started has ended (Orchest's <c>project:cron-job:run:succeeded</c>
    /// or <c>:failed</c>): failed when one of them failed, else succeeded; none when every run was cancelled (Orchest
    /// called that succeeded; the runs' and the job's cancelled events say it). Its id, time and text follow from
    /// the ended runs alone, so whichever run's end raises it, and however often, it is the same event.
    /// </summary>
    public static JobEvent? OfTickEnded(JobDefinition job, JobTick tick, IReadOnlyList<RunRecord> runs)
    {
        var failed = runs.Where(r => r.Status == ExecutionStatus.Failure).Select(r => r.Id).ToList();
        var aborted = runs.Count(r => r.Status == ExecutionStatus.Aborted);
        if (runs.Count == 0 || aborted == runs.Count)
        {
            return null;
        }

        var ended = runs.Max(r => r.Finished ?? r.Created);
        var prefix = "tick-" + tick.Sequence.ToString(CultureInfo.InvariantCulture);
        var counts = $"{runs.Count - failed.Count - aborted} succeeded, {failed.Count} failed, {aborted} cancelled";
        return failed.Count > 0
            ? Event(job, OrchestEventTypes.Jobs.CronRunFailed, prefix + "-failed", ended, "FAILURE",
                $"Tick {tick.Sequence} ended: {counts} (failed: {string.Join(", ", failed)}).", failed[0])
            : Event(job, OrchestEventTypes.Jobs.CronRunSucceeded, prefix + "-succeeded", ended, "SUCCESS",
                $"Tick {tick.Sequence} ended: {counts}.", runs[0].Id);
    }

    private static (string Type, string Verb, bool Repeats)? Transition(bool cron, JobStatus from, JobStatus to) => to switch
    {
        JobStatus.Started when from == JobStatus.Paused => (OrchestEventTypes.Jobs.CronUnpaused, "unpaused", true),
        JobStatus.Started => (cron ? OrchestEventTypes.Jobs.CronStarted : OrchestEventTypes.Jobs.OneOffStarted, "started", false),
        JobStatus.Paused => (OrchestEventTypes.Jobs.CronPaused, "paused", true),
        JobStatus.Success => (cron ? OrchestEventTypes.Jobs.CronSucceeded : OrchestEventTypes.Jobs.OneOffSucceeded, "succeeded", false),
        JobStatus.Failure => (cron ? OrchestEventTypes.Jobs.CronFailed : OrchestEventTypes.Jobs.OneOffFailed, "failed", false),
        JobStatus.Aborted => (cron ? OrchestEventTypes.Jobs.CronCancelled : OrchestEventTypes.Jobs.OneOffCancelled, "cancelled", false),

        // DRAFT and PENDING have no event of their own (Orchest had none): created covers them.
        _ => null,
    };

    private static JobEvent Event(JobDefinition job, string type, string key, DateTimeOffset time, JobStatus status, string? message = null) =>
        Event(job, type, key, time, status.ToWire(), message);

    private static JobEvent Event(JobDefinition job, string type, string key, DateTimeOffset time, string status, string? message = null, string? run = null) =>
        new(job.Id + "-" + key, type, time, job.ProjectId, job.Id, status, message, job.PipelinePath, run);

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture);
}
