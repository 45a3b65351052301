using Microsoft.Extensions.Logging;

namespace Orchest.Engine;

/// <summary>The engine's log messages (stable event ids 1000-1099). Never log parameter or environment values.</summary>
internal static partial class Logs
{
    [LoggerMessage(1000, LogLevel.Debug, "Run {RunId}: transition conflict #{Conflicts}, retrying")]
    public static partial void TransitionConflict(ILogger logger, string runId, int conflicts);

    [LoggerMessage(1001, LogLevel.Warning, "Run {RunId}: an observer failed")]
    public static partial void ObserverFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(1002, LogLevel.Debug, "Run {RunId} step {StepUuid} attempt {Attempt}: message dropped ({Reason})")]
    public static partial void MessageDropped(ILogger logger, string runId, string stepUuid, int attempt, string reason);

    [LoggerMessage(1003, LogLevel.Information, "Run {RunId} step {StepUuid} attempt {Attempt} started on {WorkerId}")]
    public static partial void StepStarted(ILogger logger, string runId, string stepUuid, int attempt, string workerId);

    [LoggerMessage(1004, LogLevel.Information, "Run {RunId} step {StepUuid} attempt {Attempt} exited with {ExitCode}")]
    public static partial void StepExited(ILogger logger, string runId, string stepUuid, int attempt, int exitCode);

    [LoggerMessage(1005, LogLevel.Warning, "Run {RunId} step {StepUuid} attempt {Attempt}: result not committed ({Reason})")]
    public static partial void ResultRejected(ILogger logger, string runId, string stepUuid, int attempt, string reason);

    [LoggerMessage(1006, LogLevel.Error, "Run {RunId} step {StepUuid} attempt {Attempt}: runner failed")]
    public static partial void RunnerFailed(ILogger logger, string runId, string stepUuid, int attempt, Exception exception);

    [LoggerMessage(1008, LogLevel.Error, "Run {RunId} step {StepUuid}: processing the work item failed")]
    public static partial void WorkItemFailed(ILogger logger, string runId, string stepUuid, Exception exception);

    [LoggerMessage(1009, LogLevel.Information, "Run {RunId} step {StepUuid} attempt {Attempt}: process stopping, step left unfinished")]
    public static partial void StepAbandoned(ILogger logger, string runId, string stepUuid, int attempt);
}
