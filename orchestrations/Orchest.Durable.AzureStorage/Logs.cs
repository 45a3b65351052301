using Microsoft.Extensions.Logging;

namespace Orchest.Durable.AzureStorage;

/// <summary>The task hub host's log messages (event ids 3200-3299).</summary>
internal static partial class Logs
{
    [LoggerMessage(3200, LogLevel.Information, "Task hub history of {Instances} ended instances created before {Before:o} deleted")]
    public static partial void HistoryPurged(ILogger logger, int instances, DateTime before);

    [LoggerMessage(3201, LogLevel.Warning, "Deleting old task hub history failed; tried again at the next interval")]
    public static partial void HistoryPurgeFailed(ILogger logger, Exception exception);

    [LoggerMessage(3202, LogLevel.Warning, "Durable Task did not stop within {Limit} (storage unreachable?); the host stops without it, and other hosts take its partitions once their leases expire")]
    public static partial void TaskHubNotStopped(ILogger logger, TimeSpan limit);

    [LoggerMessage(3205, LogLevel.Warning, "Orchestration {InstanceId}: its session was left active by a failed fetch of Durable Task's Azure Storage provider (its messages would wait for good); released, its messages come back")]
    public static partial void LeftSessionReleased(ILogger logger, string instanceId);

    [LoggerMessage(3206, LogLevel.Warning, "The Azure Storage provider's session internals were not found (another version?): an orchestration session a failed fetch leaves active is not released, and its instance waits until this host stops")]
    public static partial void LeftSessionsUnavailable(ILogger logger);

    [LoggerMessage(3207, LogLevel.Warning, "Releasing the orchestration sessions a failed fetch left active failed")]
    public static partial void LeftSessionsReleaseFailed(ILogger logger, Exception exception);
}
