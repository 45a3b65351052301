using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Functions.GitHooks;
using Orchest.Functions.Hosting;
using Orchest.Functions.Jobs;
using Orchest.Functions.Projects;

namespace Orchest.Functions.Timers;

/// <summary>
/// Finishes what a request left half done when its host died (a round of <see cref="Housekeeping"/>). Nothing
/// retries a request, so every <see cref="JobOptions.OrphanCheckInterval"/> this looks at the jobs a request
/// changed at least that long ago:
/// <list type="bullet">
/// <item>A confirmed job with no orchestration (a request records a job as PENDING or STARTED, then starts its
/// orchestration): its orchestration is started, with the input its request would have used (its confirmation
/// time is the state's). Starting an orchestration that exists changes nothing.</item>
/// <item>A job still marked with a change whose events were not published (<see cref="JobSnapshot.UnannouncedSince"/>):
/// a push-only job that the request ended has its unfinished runs stopped, then the events are published (same ids:
/// a copy of what the request did publish adds nothing).</item>
/// </list>
/// </summary>
internal sealed class JobRepair(
    TableProjectRegistry projects, IJobStore jobs, IDurableJobs orchestrations, IJobRuns runs, JobOptions options, TimeProvider clock,
    ILogger<JobRepair> logger)
{
    /// <summary>Starts the missing orchestrations, stops the runs of ended push-only jobs and publishes the missing events.</summary>
    public async Task RepairAsync(CancellationToken cancellationToken)
    {
        var settled = clock.GetUtcNow() - options.OrphanCheckInterval;
        foreach (var project in await projects.ListAsync(cancellationToken))
        {
            foreach (var job in await jobs.ListAsync(project.Id, cancellationToken))
            {
                var id = job.Definition.Id;
                if (MayLackItsOrchestration(job) && job.State.Updated <= settled
                    && await orchestrations.StartAsync(JobStart.Input(job.Definition, job.State.Updated, options), cancellationToken))
                {
                    HostLogs.JobOrchestrationRepaired(logger, id, job.State.Status.ToWire());
                }

                if (job.UnannouncedSince <= settled)
                {
                    var stopped = job.State.Status == JobStatus.Aborted && DeclaredJobs.IsPushOnly(job.Definition)
                        ? await runs.CancelAsync(id, "its job was cancelled", cancellationToken)
                        : 0;
                    if (await jobs.AnnounceAsync(id, cancellationToken))
                    {
                        HostLogs.JobChangeAnnounced(logger, id, job.State.Status.ToWire(), stopped);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Confirmed, scheduled by an orchestration (a push-only declared job has none), and still as its request
    /// recorded it: no tick, no skipped tick (a pause or an end needs the orchestration, so neither happened).
    /// </summary>
    internal static bool MayLackItsOrchestration(JobSnapshot job) =>
        job.State.Status is JobStatus.Pending or JobStatus.Started
        && !DeclaredJobs.IsPushOnly(job.Definition)
        && job.State is { Ticks: 0, SkippedTicks: 0, LastScheduled: null };
}
