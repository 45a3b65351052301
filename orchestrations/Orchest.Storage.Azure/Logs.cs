using Microsoft.Extensions.Logging;

namespace Orchest.Storage.Azure;

/// <summary>The storage adapters' log messages (stable event ids 3000-3099). Never log environment values, keys or SAS tokens.</summary>
internal static partial class Logs
{
    [LoggerMessage(3000, LogLevel.Debug, "Run {RunId}: commit lost to a concurrent transition (status {Status})")]
    public static partial void CommitConflict(ILogger logger, string runId, int status);

    [LoggerMessage(3001, LogLevel.Information, "Run {RunId}: transition {IntentId} committed through an intent ({Batches} batches, {Rows} rows)")]
    public static partial void IntentCommitted(ILogger logger, string runId, string intentId, int batches, int rows);

    [LoggerMessage(3002, LogLevel.Warning, "Run {RunId}: transition {IntentId} committed but not fully applied; the next reader finishes it")]
    public static partial void IntentNotFinished(ILogger logger, string runId, string intentId, Exception exception);

    [LoggerMessage(3003, LogLevel.Debug, "Run {RunId}: transition {IntentId} fully applied")]
    public static partial void IntentFinished(ILogger logger, string runId, string intentId);

    [LoggerMessage(3004, LogLevel.Warning, "Run {RunId}: could not delete {BlobName}")]
    public static partial void CleanupFailed(ILogger logger, string runId, string blobName, Exception exception);

    [LoggerMessage(3005, LogLevel.Information, "Run {RunId}: dropped from the active-run index (run is {Status})")]
    public static partial void ActiveEntryDropped(ILogger logger, string runId, string status);

    [LoggerMessage(3006, LogLevel.Warning, "Run {RunId}: ended, but the run indexes were not updated (readers correct this)")]
    public static partial void RunIndexNotUpdated(ILogger logger, string runId, Exception exception);

    [LoggerMessage(3010, LogLevel.Debug, "Run {RunId} step {StepUuid} attempt {Attempt}: handed to this host's worker (fast path)")]
    public static partial void FastPath(ILogger logger, string runId, string stepUuid, int attempt);

    [LoggerMessage(3011, LogLevel.Warning, "Run {RunId} step {StepUuid} attempt {Attempt}: queue message is gone or held by another worker")]
    public static partial void MessageLost(ILogger logger, string runId, string stepUuid, int attempt);

    [LoggerMessage(3012, LogLevel.Warning, "Queue message {MessageId} is not a step work item; deleted")]
    public static partial void MalformedMessageDeleted(ILogger logger, string messageId);

    [LoggerMessage(3013, LogLevel.Error, "Run {RunId} step {StepUuid} attempt {Attempt}: message dequeued {DequeueCount} times; deleted as poison (the reconciler re-dispatches the step if it is still pending)")]
    public static partial void PoisonMessageDeleted(ILogger logger, string runId, string stepUuid, int attempt, long dequeueCount);

    [LoggerMessage(3020, LogLevel.Warning, "Run {RunId} step {StepUuid}: appending to the step log failed; lines are kept and retried")]
    public static partial void LogAppendFailed(ILogger logger, string runId, string stepUuid, Exception exception);

    [LoggerMessage(3030, LogLevel.Information, "Azure Storage ready: {Account}, name prefix '{NamePrefix}'")]
    public static partial void StorageInitialized(ILogger logger, string account, string namePrefix);
}
