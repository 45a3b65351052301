using Orchest.Durable.Jobs;
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
/// used (its confirmation time is the state's); starting an orchestration that exists changes nothing.
/// </summary>
internal sealed class JobOrchestrationRepair(
    TableProjectRegistry projects, IJobStore jobs, IDurableJobs orchestrations, JobOptions options, TimeProvider clock, ILogger<JobOrchestrationRepair> logger)
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

    /// <summary>Starts the missing orchestrations; returns how many jobs it looked at.</summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var settled = clock.GetUtcNow() - options.OrphanCheckInterval;
        var looked = 0;
        foreach (var project in await projects.ListAsync(cancellationToken))
        {
            foreach (var job in await jobs.ListAsync(project.Id, cancellationToken))
            {
                if (MayLackItsOrchestration(job) && job.State.Updated <= settled)
                {
                    looked++;
                    await orchestrations.StartAsync(JobStart.Input(job.Definition, job.State.Updated, options), cancellationToken);
                }
            }
        }

        return looked;
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
