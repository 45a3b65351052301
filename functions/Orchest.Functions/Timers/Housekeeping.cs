using Orchest.Durable.Housekeeping;
using Orchest.Functions.GitHooks;
using Orchest.Functions.Hosting;
using Orchest.Functions.Jobs;

namespace Orchest.Functions.Timers;

/// <summary>
/// One round of the task hub's housekeeping (<see cref="HousekeepingOrchestrator"/>, on whichever host takes it):
/// finishes what dying requests left half done (<see cref="JobRepair"/>), handles the git pushes whose handling
/// died or failed (<see cref="GitDeliveryRecovery"/>) and, hourly, forgets git webhook
/// deliveries older than <c>Orchest:GitHooks:DeliveryRetention</c>. Each part logs its own failure and the
/// next round tries again; the next round comes after <c>Orchest:Jobs:OrphanCheckInterval</c>.
/// </summary>
internal sealed class Housekeeping(
    JobRepair jobs, GitDeliveryRecovery pushes, GitDeliveryLog deliveries, GitHookOptions gitHooks, JobOptions options, ILogger<Housekeeping> logger)
    : IHousekeeping
{
    public async Task<HousekeepingOutcome> RunAsync(HousekeepingRound round, CancellationToken cancellationToken = default)
    {
        try
        {
            await jobs.RepairAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HostLogs.JobRepairFailed(logger, ex);
        }

        try
        {
            await pushes.RecoverAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HostLogs.GitDeliveryRecoveryFailed(logger, ex);
        }

        if (round.Prune)
        {
            try
            {
                var pruned = await deliveries.PruneAsync(cancellationToken);
                if (pruned > 0)
                {
                    HostLogs.GitDeliveriesPruned(logger, pruned, gitHooks.DeliveryRetention);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                HostLogs.GitDeliveryPruneFailed(logger, ex);
            }
        }

        return new HousekeepingOutcome(options.OrphanCheckInterval);
    }
}
