using Microsoft.Extensions.Logging;

namespace Orchest.Runners;

/// <summary>The process runner's log messages (stable event ids 4000-4099). Never log environment values.</summary>
internal static partial class Logs
{
    [LoggerMessage(4000, LogLevel.Information, "Process steps run without a sandbox (no /data, containment by process table): {Reason}")]
    public static partial void SandboxUnavailable(ILogger logger, string reason);

    [LoggerMessage(4001, LogLevel.Warning, "Run {RunId} step {StepUuid} attempt {Attempt}: its output was still held open after every process of the step had ended; the log was closed")]
    public static partial void OutputAbandoned(ILogger logger, string runId, string stepUuid, int attempt);

    [LoggerMessage(4002, LogLevel.Debug, "Run {RunId} step {StepUuid} attempt {Attempt}: stopping its processes")]
    public static partial void StoppingProcesses(ILogger logger, string runId, string stepUuid, int attempt);
}
