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
}
