using Microsoft.Extensions.Logging;

namespace Orchest.Runners.Docker;

/// <summary>The container runner's log messages (stable event ids 4100-4199). Never log environment values.</summary>
internal static partial class Logs
{
    [LoggerMessage(4100, LogLevel.Information, "Environment {Environment}: building image {Tag}")]
    public static partial void BuildStarted(ILogger logger, string environment, string tag);

    [LoggerMessage(4101, LogLevel.Information, "Environment {Environment}: built image {Tag} in {ElapsedMs:0} ms")]
    public static partial void BuildSucceeded(ILogger logger, string environment, string tag, double elapsedMs);

    [LoggerMessage(4102, LogLevel.Warning, "Environment {Environment}: building image {Tag} failed: {Error}")]
    public static partial void BuildFailed(ILogger logger, string environment, string tag, string error);

    [LoggerMessage(4103, LogLevel.Debug, "Run {RunId} step {StepUuid} attempt {Attempt}: container {ContainerId} started from {Image}")]
    public static partial void ContainerStarted(ILogger logger, string runId, string stepUuid, int attempt, string containerId, string image);

    [LoggerMessage(4104, LogLevel.Information, "Run {RunId} step {StepUuid} attempt {Attempt}: stopping container {ContainerId}")]
    public static partial void ContainerStopping(ILogger logger, string runId, string stepUuid, int attempt, string containerId);

    [LoggerMessage(4105, LogLevel.Warning, "Container {ContainerId}: could not be removed")]
    public static partial void ContainerNotRemoved(ILogger logger, string containerId, Exception exception);

    [LoggerMessage(4106, LogLevel.Information, "Run {RunId}: removed orphaned container {ContainerId}")]
    public static partial void OrphanRemoved(ILogger logger, string runId, string containerId);
}
