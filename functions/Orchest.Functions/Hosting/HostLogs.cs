namespace Orchest.Functions.Hosting;

/// <summary>The host's log messages (event ids 2000-2199; 2100-2199: events and webhooks). Never log keys, tokens or environment values.</summary>
internal static partial class HostLogs
{
    [LoggerMessage(2002, LogLevel.Information, "Project {ProjectId} registered ({Name})")]
    public static partial void ProjectRegistered(ILogger logger, string projectId, string name);

    [LoggerMessage(2003, LogLevel.Information, "Run {RunId} created for project {ProjectId} at {Commit}")]
    public static partial void RunCreated(ILogger logger, string runId, string projectId, string commit);

    [LoggerMessage(2004, LogLevel.Error, "Unhandled error on {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, string method, string path, Exception exception);

    // Jobs: 2050-2069.
    [LoggerMessage(2050, LogLevel.Information, "Job {JobId} created for project {ProjectId} ({Status})")]
    public static partial void JobCreated(ILogger logger, string jobId, string projectId, string status);

    [LoggerMessage(2051, LogLevel.Information, "Job {JobId} tick {Tick} started {Runs} runs at {Commit}")]
    public static partial void JobRunsStarted(ILogger logger, string jobId, long tick, int runs, string commit);

    [LoggerMessage(2052, LogLevel.Information, "Job {JobId}: run {RunId} deleted (max_retained_pipeline_runs)")]
    public static partial void JobRunDeleted(ILogger logger, string jobId, string runId);

    [LoggerMessage(2053, LogLevel.Warning, "Job {JobId}: retention could not finish; the next tick tries again")]
    public static partial void JobRetentionFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(2054, LogLevel.Information, "Job {JobId}: {Command} sent")]
    public static partial void JobCommandSent(ILogger logger, string jobId, string command);

    [LoggerMessage(2055, LogLevel.Information, "Job {JobId} updated to revision {Revision}")]
    public static partial void JobUpdated(ILogger logger, string jobId, long revision);

    [LoggerMessage(2056, LogLevel.Warning, "Jobs: the check for what dead requests left half done failed; the next one tries again")]
    public static partial void JobRepairFailed(ILogger logger, Exception exception);

    [LoggerMessage(2057, LogLevel.Warning, "Job {JobId} was {Status} without an orchestration (the host that confirmed it died first): started it")]
    public static partial void JobOrchestrationRepaired(ILogger logger, string jobId, string status);

    [LoggerMessage(2058, LogLevel.Warning, "Job {JobId} ({Status}) kept a change whose events were not published (the host that made it died first): published them, {Stopped} runs asked to stop")]
    public static partial void JobChangeAnnounced(ILogger logger, string jobId, string status, int stopped);

    [LoggerMessage(2059, LogLevel.Warning, "Job {JobId}: a late execution of its tick {Tick} (state write {Record}) came after a later write of its orchestration; the later state is kept")]
    public static partial void JobTickStateLate(ILogger logger, string jobId, long tick, long record);

    // Webhooks: 2100-2119.
    [LoggerMessage(2100, LogLevel.Information, "Webhook {WebhookId} created for {Target}")]
    public static partial void WebhookCreated(ILogger logger, string webhookId, string target);

    [LoggerMessage(2101, LogLevel.Information, "Webhook {WebhookId} deleted")]
    public static partial void WebhookDeleted(ILogger logger, string webhookId);

    [LoggerMessage(2102, LogLevel.Debug, "Webhook {WebhookId} event {EventId} attempt {Attempt}: delivered to {Target} ({StatusCode}, {DurationMs} ms)")]
    public static partial void Delivered(ILogger logger, string webhookId, string eventId, int attempt, string target, int statusCode, long durationMs);

    [LoggerMessage(2103, LogLevel.Warning, "Webhook {WebhookId} event {EventId} attempt {Attempt} to {Target} failed: {Error}; next attempt at {NextAttemptAt:o}")]
    public static partial void DeliveryFailed(ILogger logger, string webhookId, string eventId, int attempt, string target, string error, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(2104, LogLevel.Warning, "Webhook {WebhookId} event {EventId} dead-lettered after attempt {Attempt} to {Target}: {Error}")]
    public static partial void DeliveryDeadLettered(ILogger logger, string webhookId, string eventId, int attempt, string target, string error);

    [LoggerMessage(2105, LogLevel.Warning, "Webhook {WebhookId} delivery {DeliveryKey}: outcome not recorded; taken again when its claim expires")]
    public static partial void DeliveryNotRecorded(ILogger logger, string webhookId, string deliveryKey, Exception exception);

    [LoggerMessage(2106, LogLevel.Warning, "Webhook outbox: looking for due deliveries failed; trying again")]
    public static partial void OutboxPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(2200, LogLevel.Warning, "Project {ProjectId} git hook: {Provider} delivery {DeliveryId} refused ({Reason})")]
    public static partial void GitHookRefused(ILogger logger, string projectId, string provider, string deliveryId, string reason);

    [LoggerMessage(2201, LogLevel.Information, "Project {ProjectId} git hook: {Provider} delivery {DeliveryId} {Status} ({Ref} {After}): {Runs} runs started")]
    public static partial void GitHookHandled(ILogger logger, string projectId, string provider, string deliveryId, string status, string? @ref, string? after, int runs);

    [LoggerMessage(2202, LogLevel.Information, "Project {ProjectId} git hook: {Provider} delivery {DeliveryId} is a redelivery; answered as first")]
    public static partial void GitHookRedelivery(ILogger logger, string projectId, string provider, string deliveryId);

    [LoggerMessage(2203, LogLevel.Information, "Project {ProjectId} job file {File} at {Commit}: job {JobId} {Change}")]
    public static partial void DeclaredJobChanged(ILogger logger, string projectId, string file, string commit, string jobId, string change);

    [LoggerMessage(2204, LogLevel.Warning, "Project {ProjectId} job file {File} at {Commit} is not valid: {Problems}")]
    public static partial void DeclaredJobInvalid(ILogger logger, string projectId, string file, string commit, string problems);

    [LoggerMessage(2205, LogLevel.Information, "Git hooks: forgot {Count} deliveries older than {Retention}")]
    public static partial void GitDeliveriesPruned(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(2206, LogLevel.Warning, "Git hooks: forgetting old deliveries failed (tried again within the hour)")]
    public static partial void GitDeliveryPruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(2207, LogLevel.Warning, "Service container sweep failed; the next one tries again")]
    public static partial void ServiceSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(2208, LogLevel.Warning, "Project {ProjectId} git hook: {Provider} delivery {DeliveryId} failed; taken over by a redelivery or the housekeeping")]
    public static partial void GitDeliveryFailed(ILogger logger, string projectId, string provider, string deliveryId, Exception exception);

    [LoggerMessage(2209, LogLevel.Warning, "Project {ProjectId} git hook: delivery {DeliveryId}'s failure not recorded; its claim is taken over once stale")]
    public static partial void GitDeliveryNotMarked(ILogger logger, string projectId, string deliveryId, Exception exception);

    [LoggerMessage(2210, LogLevel.Information, "Project {ProjectId} git hook: {Provider} delivery {DeliveryId} taken over by the housekeeping (attempt {Attempt}; last handling {LastHandling})")]
    public static partial void GitDeliveryTakenOver(ILogger logger, string projectId, string provider, string deliveryId, int attempt, string lastHandling);

    [LoggerMessage(2211, LogLevel.Error, "Project {ProjectId} git hook: {Provider} delivery {DeliveryId} given up after {Attempts} handlings ({Reason}); redeliver it from the forge to try again")]
    public static partial void GitDeliveryAbandoned(ILogger logger, string projectId, string provider, string deliveryId, int attempts, string reason);

    [LoggerMessage(2212, LogLevel.Warning, "Git hooks: taking over deliveries whose handling died failed (the next round tries again)")]
    public static partial void GitDeliveryRecoveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(2213, LogLevel.Information, "Project {ProjectId} git hook: {Provider} delivery {DeliveryId} forgotten unhandled: the project was deleted")]
    public static partial void GitDeliveryOfDeletedProject(ILogger logger, string projectId, string provider, string deliveryId);

    [LoggerMessage(2214, LogLevel.Information, "Project {ProjectId} git hook: delivery {DeliveryId}'s failed handling (attempt {Attempt}) was taken over while it ran; the taker's handling goes on unmarked")]
    public static partial void GitDeliveryFailedAfterTakeover(ILogger logger, string projectId, string deliveryId, int attempt);
}
