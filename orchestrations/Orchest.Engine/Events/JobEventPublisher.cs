namespace Orchest.Engine.Events;

/// <summary>Records job events in the project's event log and the webhook outbox, as run events are.</summary>
public sealed class JobEventPublisher(IEventLog log) : IJobEvents
{
    public Task PublishAsync(JobEvent jobEvent, CancellationToken cancellationToken = default) =>
        log.AppendAsync([ToPublic(jobEvent)], jobEvent.Time, cancellationToken);

    public static OrchestEvent ToPublic(JobEvent jobEvent)
    {
        if (!OrchestEventTypes.Jobs.All.Contains(jobEvent.Type, StringComparer.Ordinal))
        {
            throw new ArgumentException($"\"{jobEvent.Type}\" is not a job event type (see {nameof(OrchestEventTypes)}.{nameof(OrchestEventTypes.Jobs)}).", nameof(jobEvent));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(jobEvent.Id);
        var cron = jobEvent.Type.StartsWith("project:cron-job:", StringComparison.Ordinal);

        // "project:cron-job:run:failed" -> "job.run.failed", "project:one-off-job:created" -> "job.created".
        var verb = jobEvent.Type[(jobEvent.Type.IndexOf("-job:", StringComparison.Ordinal) + 5)..].Replace(':', '.');
        return new OrchestEvent
        {
            Id = jobEvent.Id,
            Type = jobEvent.Type,
            Kind = "job." + verb,
            Time = jobEvent.Time,
            Project = jobEvent.ProjectId,
            PipelinePath = jobEvent.PipelinePath,
            Job = jobEvent.JobId,
            JobKind = cron ? OrchestEventTypes.CronJob : OrchestEventTypes.OneOffJob,
            Run = jobEvent.Run,
            Status = jobEvent.Status,
            Message = jobEvent.Message,
        };
    }
}
