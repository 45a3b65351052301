using Orchest.Functions.GitHooks;
using Orchest.Functions.Hosting;
using Orchest.Functions.Projects;
using Orchest.Git;

namespace Orchest.Functions.Timers;

/// <summary>
/// Handles the git pushes whose handling died with its host or failed (a round of <see cref="Housekeeping"/>).
/// Forges do not redeliver by themselves (GitHub redelivers only when asked), so a claim left unanswered for
/// <see cref="GitHookOptions.TakeOverAfter"/> is taken over here and handled as its webhook would have been, from the
/// delivery its claim kept; its answer is recorded, and a later redelivery gets it. A delivery is given up after
/// <see cref="GitDeliveryLog.MaxAttempts"/> handlings (its claim is forgotten: a redelivery is then handled as new);
/// the claims of a deleted project are forgotten.
/// </summary>
internal sealed class GitDeliveryRecovery(
    TableProjectRegistry projects, GitDeliveryLog deliveries, GitDeliveryHandler handler, ILogger<GitDeliveryRecovery> logger)
{
    /// <summary>Takes over and handles the stale claims.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken = default)
    {
        foreach (var stale in await deliveries.StaleAsync(cancellationToken))
        {
            var delivery = stale.Delivery;
            var provider = delivery.Provider.ToString();
            var lastHandling = stale.Failed is { } failed ? "failed: " + failed : "died";
            var project = await projects.GetAsync(stale.ProjectId, cancellationToken);
            if (project is null)
            {
                if (await deliveries.AbandonAsync(stale, cancellationToken))
                {
                    HostLogs.GitDeliveryOfDeletedProject(logger, stale.ProjectId, provider, delivery.DeliveryId);
                }

                continue;
            }

            if (stale.Attempts >= GitDeliveryLog.MaxAttempts)
            {
                if (await deliveries.AbandonAsync(stale, cancellationToken))
                {
                    HostLogs.GitDeliveryAbandoned(logger, project.Id, provider, delivery.DeliveryId, stale.Attempts, "last handling " + lastHandling);
                }

                continue;
            }

            if (await deliveries.TakeOverAsync(stale, cancellationToken) is not { } held)
            {
                continue; // a redelivery or another round has it
            }

            HostLogs.GitDeliveryTakenOver(logger, project.Id, provider, delivery.DeliveryId, held.Attempt, lastHandling);
            try
            {
                await handler.HandleAsync(project, held, cancellationToken);
            }
            catch (GitRefNotFoundException)
            {
                // The claim was given back: nothing can be run at a commit the repository does not have.
                HostLogs.GitDeliveryAbandoned(logger, project.Id, provider, delivery.DeliveryId, held.Attempt, "the pushed commit is not in the repository");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Logged and marked by the handler: the next round after the takeover delay tries again.
            }
        }
    }
}
