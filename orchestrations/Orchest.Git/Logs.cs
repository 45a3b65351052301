using Microsoft.Extensions.Logging;

namespace Orchest.Git;

/// <summary>
/// Log messages of the git workspace (stable event ids 4000-4099). URLs are passed through
/// <see cref="RepositoryUrl.Redact"/> first; credentials are never arguments.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(4000, LogLevel.Information, "Project {ProjectId}: cloning mirror from {Url}")]
    public static partial void MirrorCloning(ILogger logger, string projectId, string url);

    [LoggerMessage(4001, LogLevel.Information, "Project {ProjectId}: mirror cloned in {ElapsedMs} ms")]
    public static partial void MirrorCloned(ILogger logger, string projectId, long elapsedMs);

    [LoggerMessage(4002, LogLevel.Debug, "Project {ProjectId}: fetching from {Url}")]
    public static partial void MirrorFetching(ILogger logger, string projectId, string url);

    [LoggerMessage(4003, LogLevel.Information, "Project {ProjectId}: fetched in {ElapsedMs} ms")]
    public static partial void MirrorFetched(ILogger logger, string projectId, long elapsedMs);

    [LoggerMessage(4004, LogLevel.Debug, "Project {ProjectId}: mirror fetched {AgeMs} ms ago, not fetching")]
    public static partial void MirrorFresh(ILogger logger, string projectId, long ageMs);

    [LoggerMessage(4005, LogLevel.Warning, "Project {ProjectId}: fetching from {Url} failed: {Reason}")]
    public static partial void FetchFailed(ILogger logger, string projectId, string url, string reason);

    [LoggerMessage(4006, LogLevel.Debug, "Project {ProjectId}: ref {Reference} is commit {Commit}")]
    public static partial void RefResolved(ILogger logger, string projectId, string reference, string commit);

    [LoggerMessage(4007, LogLevel.Information, "Project {ProjectId}: commit {Commit} materialised ({Files} files) in {ElapsedMs} ms")]
    public static partial void CommitMaterialised(ILogger logger, string projectId, string commit, int files, long elapsedMs);

    [LoggerMessage(4008, LogLevel.Information, "Run {RunId}: working copy of commit {Commit} created in {ElapsedMs} ms")]
    public static partial void WorkingCopyCreated(ILogger logger, string runId, string commit, long elapsedMs);

    [LoggerMessage(4009, LogLevel.Information, "Run {RunId}: working copy removed")]
    public static partial void WorkingCopyRemoved(ILogger logger, string runId);

    [LoggerMessage(4010, LogLevel.Information, "Run {RunId}: stale working copy removed (idle {IdleHours:F1} h)")]
    public static partial void StaleWorkingCopyRemoved(ILogger logger, string runId, double idleHours);

    [LoggerMessage(4011, LogLevel.Information, "Project {ProjectId}: repository URL changed to {Url}")]
    public static partial void RemoteChanged(ILogger logger, string projectId, string url);

    [LoggerMessage(4012, LogLevel.Warning, "Run {RunId}: removing the working copy failed")]
    public static partial void WorkingCopyRemoveFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(4013, LogLevel.Debug, "Project {ProjectId}: commit {Commit} not in the mirror, fetching")]
    public static partial void CommitMissing(ILogger logger, string projectId, string commit);
}
