using Microsoft.Extensions.Logging;

namespace Orchest.Durable.Housekeeping;

/// <summary>Making sure the housekeeping runs, as every host does it: logged, and never failing the caller.</summary>
public static partial class HousekeepingStart
{
    /// <summary>
    /// <see cref="IDurableHousekeeping.EnsureAsync"/>, logging a start (3203) and a failure (3204) instead of
    /// throwing it: the next check tries again.
    /// </summary>
    public static async Task TryEnsureAsync(this IDurableHousekeeping housekeeping, ILogger logger, CancellationToken cancellationToken = default)
    {
        try
        {
            if (await housekeeping.EnsureAsync(cancellationToken))
            {
                Started(logger, HousekeepingOrchestrator.InstanceId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            StartFailed(logger, ex);
        }
    }

    // The task hub host's event ids (3200-3299), where these began.
    [LoggerMessage(3203, LogLevel.Information, "Housekeeping orchestration {InstanceId} started")]
    private static partial void Started(ILogger logger, string instanceId);

    [LoggerMessage(3204, LogLevel.Warning, "Starting the housekeeping orchestration failed; tried again at the next check")]
    private static partial void StartFailed(ILogger logger, Exception exception);
}
