using System.Text.Json;
using Orchest.Functions.Hosting;
using Orchest.Functions.Projects;
using Orchest.Git;

namespace Orchest.Functions.GitHooks;

/// <summary>
/// Takes a claimed delivery to its recorded answer: the webhook's first handling and the housekeeping's takeover
/// of a claim whose host died both come through here, so both record the same answer.
/// </summary>
internal sealed class GitDeliveryHandler(GitDeliveryLog deliveries, GitPushHandler pushes, ILogger<GitDeliveryHandler> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// The recorded status and answer. A pushed commit the repository does not have gives the claim back (nothing
    /// was done; a redelivery tries again) and throws <see cref="GitRefNotFoundException"/>; any other failure
    /// leaves the claim marked failed, to be taken over, and throws.
    /// </summary>
    public async Task<(int Status, string Answer)> HandleAsync(ProjectEntry project, HeldGitDelivery held, CancellationToken cancellationToken = default)
    {
        var delivery = held.Delivery;
        GitPushAnswer answer;
        try
        {
            answer = await pushes.HandleAsync(project, delivery, cancellationToken);
        }
        catch (GitRefNotFoundException)
        {
            await deliveries.ReleaseAsync(held, CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            // The runs and job changes a delivery makes have ids of its own: handling it again adds nothing twice.
            await MarkFailedAsync(held, ex);
            throw;
        }

        var status = delivery.IsPing ? StatusCodes.Status200OK : StatusCodes.Status202Accepted;
        var json = JsonSerializer.Serialize(answer, Json);
        await deliveries.CompleteAsync(held, status, json, CancellationToken.None);
        return (status, json);
    }

    private async Task MarkFailedAsync(HeldGitDelivery held, Exception failure)
    {
        // The row keeps the exception's type only (the host log has all of it): a table row stays short and holds
        // nothing an error text might quote.
        var reason = failure is OperationCanceledException ? "cancelled (the host was stopping)" : failure.GetType().Name;
        var (projectId, delivery) = (held.ProjectId, held.Delivery);
        HostLogs.GitDeliveryFailed(logger, projectId, delivery.Provider.ToString(), delivery.DeliveryId, failure);
        try
        {
            if (!await deliveries.FailAsync(held, reason, CancellationToken.None))
            {
                // Taken over while this handling ran (it outlasted the takeover delay): the taker's handling is not
                // marked by this one's failure, so no third handling starts beside it.
                HostLogs.GitDeliveryFailedAfterTakeover(logger, projectId, delivery.DeliveryId, held.Attempt);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unmarked, the claim is still taken over once stale.
            HostLogs.GitDeliveryNotMarked(logger, projectId, delivery.DeliveryId, ex);
        }
    }
}
