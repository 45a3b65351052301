using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Engine.Events;

/// <summary>
/// Raises a cron tick's roll-up event (<see cref="JobTransitionEvents.OfTickEnded"/>) when the last of the
/// runs it started ends. Every run of the tick looks when it ends (after its own record is written): the
/// last one to be written sees all of them ended, and two that end together raise the same event, which
/// the event log and the webhook outbox record once.
/// </summary>
public sealed class CronTickRollup(IJobStore jobs, IRunProjection runs, IJobEvents events)
{
    /// <summary>Looks at the tick of an ended cron job's run; does nothing for other runs or while the tick's other runs go on.</summary>
    public async Task RunEndedAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        if (run.JobId is not { } jobId || run.JobTick is not { } sequence || !run.Status.IsTerminal()
            || !string.Equals(run.JobKind, OrchestEventTypes.CronJob, StringComparison.Ordinal))
        {
            return;
        }

        // A tick that left the job's history, or a job deleted since, has no roll-up any more.
        if (await jobs.GetTickAsync(jobId, sequence, cancellationToken) is not { RunIds.Count: > 0 } tick
            || await jobs.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return;
        }

        var records = new List<RunRecord>(tick.RunIds.Count);
        foreach (var id in tick.RunIds)
        {
            var record = id == run.Id ? run : await runs.GetRecordAsync(id, cancellationToken);
            if (record is null || !record.Status.IsTerminal())
            {
                return; // still going (or deleted by retention before it could count)
            }

            records.Add(record);
        }

        if (JobTransitionEvents.OfTickEnded(job.Definition, tick, records) is { } ended)
        {
            await events.PublishAsync(ended, cancellationToken);
        }
    }
}
