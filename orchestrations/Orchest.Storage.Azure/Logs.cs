using Microsoft.Extensions.Logging;

namespace Orchest.Storage.Azure;

/// <summary>The storage adapters' log messages (stable event ids 3000-3099). Never log environment values, keys or SAS tokens.</summary>
internal static partial class Logs
{
    [LoggerMessage(3020, LogLevel.Warning, "Run {RunId} step {StepUuid}: appending to the step log failed; lines are kept and retried")]
    public static partial void LogAppendFailed(ILogger logger, string runId, string stepUuid, Exception exception);

    [LoggerMessage(3030, LogLevel.Information, "Azure Storage ready: {Account}, name prefix '{NamePrefix}'")]
    public static partial void StorageInitialized(ILogger logger, string account, string namePrefix);
}
