using Microsoft.Extensions.Logging;

namespace Orchest.Durable;

/// <summary>Log messages of the durable runs (event ids 3100-3199). Never log parameter or environment values.</summary>
internal static partial class Logs
{
    [LoggerMessage(3100, LogLevel.Information, "Run {RunId} ended {Status}")]
    public static partial void RunEnded(ILogger logger, string runId, string status);

    [LoggerMessage(3101, LogLevel.Debug, "Run {RunId}: decision not applied ({Reason})")]
    public static partial void DecisionRejected(ILogger logger, string runId, string reason);

    [LoggerMessage(3102, LogLevel.Information, "Run {RunId} step {StepUuid} attempt {Attempt} begins on {HostId}")]
    public static partial void StepBegins(ILogger logger, string runId, string stepUuid, int attempt, string hostId);

    [LoggerMessage(3103, LogLevel.Information, "Run {RunId}: {Stopped} running steps stopped on this host")]
    public static partial void StepsStopped(ILogger logger, string runId, int stopped);

    [LoggerMessage(3104, LogLevel.Warning, "Run {RunId}: could not check whether its steps must stop")]
    public static partial void StopCheckFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(3105, LogLevel.Warning, "Run {RunId}: could not release what this host kept for it")]
    public static partial void ForgetFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(3106, LogLevel.Warning, "Run {RunId}: progress {Sequence} not written yet ({Kept} kept, retry {Retries}); retried shortly")]
    public static partial void ProgressKept(ILogger logger, string runId, long sequence, int kept, int retries, Exception exception);

    [LoggerMessage(3107, LogLevel.Error, "Run {RunId}: its orchestration failed; the run ends FAILURE")]
    public static partial void RunFaulted(ILogger logger, string runId, Exception exception);
}
