namespace Orchest.Functions.Hosting;

/// <summary>The host's log messages (event ids 2000-2099). Never log keys, tokens or environment values.</summary>
internal static partial class HostLogs
{
    [LoggerMessage(2002, LogLevel.Information, "Project {ProjectId} registered ({Name})")]
    public static partial void ProjectRegistered(ILogger logger, string projectId, string name);

    [LoggerMessage(2003, LogLevel.Information, "Run {RunId} created for project {ProjectId} at {Commit}")]
    public static partial void RunCreated(ILogger logger, string runId, string projectId, string commit);

    [LoggerMessage(2004, LogLevel.Error, "Unhandled error on {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, string method, string path, Exception exception);
}
