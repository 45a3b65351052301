using Microsoft.Extensions.Options;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Scheduling;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Timers;

/// <summary>
/// Timer-triggered reconciler (role "timers"): for every unfinished run, re-enqueues dispatched steps
/// whose queue message was lost and expires the leases of dead workers (RunStateMachine.Reconcile).
/// Any number of hosts may run it: each repair is an ETag-guarded transition, so they cannot collide.
/// </summary>
internal sealed class ReconcilerService(
    RunEngine engine, IRunCatalog catalog, IOptions<OrchestHostOptions> options, TimeProvider clock, ILogger<ReconcilerService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, clock);
        do
        {
            try
            {
                await ReconcileAllAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                HostLogs.ReconcileFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task ReconcileAllAsync(CancellationToken cancellationToken)
    {
        var staleAfter = options.Value.ReconcileStaleAfter;
        foreach (var runId in await catalog.ListActiveAsync(cancellationToken))
        {
            try
            {
                var result = await engine.ApplyAsync(
                    runId, (snapshot, now) => RunStateMachine.Reconcile(snapshot, now, staleAfter), cancellationToken);
                if (!result.IsRejected)
                {
                    HostLogs.RunRepaired(logger, runId, result.Transition!.ToEnqueue.Count);
                }
            }
            catch (RunNotFoundException)
            {
                // Deleted or never fully created; the catalog drops it.
            }
        }
    }
}
