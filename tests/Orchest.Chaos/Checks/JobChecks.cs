using System.Globalization;
using Orchest.Chaos.Workloads;

namespace Orchest.Chaos.Checks;

/// <summary>
/// The trial's cron job (<see cref="ScheduledJob"/>) after its cancel, against its own history and runs: it ended
/// ABORTED; its history is numbered 1..n and its counters, last tick and run list agree with it; no scheduled time
/// ticked twice and none was lost (every time of the schedule between two ticks is counted as skipped); each tick
/// started its one run, which exists and did not fail. Its runs are also checked as runs (<see cref="RunChecks"/>, ...).
/// </summary>
public static class JobChecks
{
    public static IEnumerable<Violation> Check(ObservedJob job, IReadOnlyList<ObservedRun> observed)
    {
        if (job.Status is null)
        {
            yield return new(ViolationKinds.JobNotEnded, null, $"job {job.JobId} could not be read at the end: {job.Answer?.Outcome} {job.Answer?.Error}");
            yield break;
        }

        if (job.Status != "ABORTED")
        {
            yield return new(ViolationKinds.JobNotEnded, null, $"job {job.JobId} is {job.Status} after its cancel (answered {job.Cancel?.Outcome})");
        }

        Violation Inconsistent(string why) => new(ViolationKinds.JobInconsistent, null, $"job {job.JobId}: {why}");
        var history = job.History;
        if (!history.Select(t => t.Sequence).SequenceEqual(Enumerable.Range(1, history.Count).Select(i => (long)i)))
        {
            yield return Inconsistent($"its history's ticks are numbered {string.Join(",", history.Select(t => t.Sequence))}, not 1..{history.Count}");
        }

        var runIds = history.SelectMany(t => t.RunIds).ToList();
        if (job.Ticks != history.Count || job.Runs != runIds.Count)
        {
            yield return Inconsistent($"it counts {job.Ticks} ticks and {job.Runs} runs; its history has {history.Count} ticks with {runIds.Count} runs");
        }

        var ran = history.Where(t => t.Kind != "skipped").ToList();
        if (ran.LastOrDefault()?.ScheduledFor != job.LastScheduled)
        {
            yield return Inconsistent($"its last_scheduled_time is {Time(job.LastScheduled)}, its last tick that ran was for {Time(ran.LastOrDefault()?.ScheduledFor)}");
        }

        if (job.ListedRuns is { } listed && !listed.Order(StringComparer.Ordinal).SequenceEqual(runIds.Order(StringComparer.Ordinal)))
        {
            yield return Inconsistent($"GET /api/jobs/{{id}}/runs lists {listed.Count} runs, its history {runIds.Count} (only listed: {string.Join(", ", listed.Except(runIds))}; only in the history: {string.Join(", ", runIds.Except(listed))})");
        }

        foreach (var twice in ran.GroupBy(t => t.ScheduledFor).Where(g => g.Count() > 1))
        {
            yield return new(ViolationKinds.JobTickDuplicated, null, $"job {job.JobId}: ticks {string.Join(", ", twice.Select(t => t.Sequence))} were all for {Time(twice.Key)}");
        }

        foreach (var twice in runIds.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return new(ViolationKinds.JobTickDuplicated, twice.Key, $"job {job.JobId}: run {twice.Key} is in {twice.Count()} ticks");
        }

        foreach (var (before, tick) in history.Zip(history.Skip(1)).Where(p => p.Second.Kind == "scheduled"))
        {
            var between = (int)Math.Round((tick.ScheduledFor - before.ScheduledFor) / ScheduledJob.Interval) - 1;
            if (between != tick.Skipped)
            {
                yield return new(ViolationKinds.JobTickLost, null,
                    $"job {job.JobId}: {between} times of its schedule between tick {before.Sequence} ({Time(before.ScheduledFor)}) and tick {tick.Sequence} ({Time(tick.ScheduledFor)}), {tick.Skipped} counted as skipped");
            }
        }

        foreach (var tick in ran)
        {
            if (tick.RunIds.Count != 1 || tick.Problems.Count > 0)
            {
                yield return Inconsistent($"tick {tick.Sequence} ({Time(tick.ScheduledFor)}) started {tick.RunIds.Count} runs: {string.Join(" ", tick.Problems)}");
            }

            foreach (var runId in tick.RunIds)
            {
                var run = observed.FirstOrDefault(o => o.RunId == runId);
                if (run?.Status is null)
                {
                    yield return new(ViolationKinds.RunLost, runId, $"job {job.JobId} tick {tick.Sequence} started run {runId}, which the API does not know");
                }
                else if (run.Status == "FAILURE")
                {
                    yield return new(ViolationKinds.WrongRunStatus, runId, $"job {job.JobId} tick {tick.Sequence}'s run ended FAILURE, its steps never fail ({RunChecks.Steps(run)})");
                }
            }
        }
    }

    private static string Time(DateTimeOffset? time) => time?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "none";
}
