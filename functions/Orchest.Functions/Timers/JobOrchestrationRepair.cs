using Orchest.Durable.Jobs;
using Orchest.Engine.Events;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Functions.GitHooks;
using Orchest.Functions.Hosting;
using Orchest.Functions.Jobs;
using Orchest.Functions.Projects;

namespace Orchest.Functions.Timers;

/// <summary>
/// Timer-triggered: starts the orchestration of every confirmed job that has none. A request (or git push)
/// records a job as PENDING or STARTED and then starts its orchestration; a host that died between the two
/// left a job that said it was scheduled and never ran. A job is looked at once it has kept its first state
/// for <see cref="JobOptions.OrphanCheckInterval"/> (no tick yet), with the input its request would have
/// used (its confirmation time is the state's); starting an orchestration that exists changes nothing. When
/// it had none, the events of the job's confirmation are published again (same ids: a copy the request did
/// publish adds nothing), as the request may have died before it published them.
/// </summary>
internal sealed class JobOrchestrationRepair(
    TableProjectRegistry projects, IJobStore jobs, IDurableJobs orchestrations, IJobEvents events, JobOptions options, TimeProvider clock,
    ILogger<JobOrchestrationRepair> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.OrphanCheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RepairAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                HostLogs.JobRepairFailed(logger, ex);
            }
        }
    }

    /// <summary>Starts the missing orchestrations.</summary>
    public async Task RepairAsync(CancellationToken cancellationToken)
    {
        var settled = clock.GetUtcNow() - options.OrphanCheckInterval;
        foreach (var project in await projects.ListAsync(cancellationToken))
        {
            foreach (var job in await jobs.ListAsync(project.Id, cancellationToken))
            {
                if (!MayLackItsOrchestration(job) || job.State.Updated > settled)
                {
                    continue;
                }

                if (await orchestrations.StartAsync(JobStart.Input(job.Definition, job.State.Updated, options), cancellationToken))
                {
                    HostLogs.JobOrchestrationRepaired(logger, job.Definition.Id, job.State.Status.ToWire());

                    // A draft's confirmation (a job created confirmed has the same "started" event, same id and time).
                    foreach (var confirmed in JobTransitionEvents.Of(job.Definition, new JobProgress(job.Definition.Id, job.State, JobStatus.Draft)))
                    {
                        await events.PublishAsync(confirmed, cancellationToken);
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
        && (job.Definition.Declaration is null || DeclaredJobs.IsOrchestrated(job.Definition))
        && job.State is { Ticks: 0, SkippedTicks: 0, LastScheduled: null };
}
