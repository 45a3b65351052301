namespace Orchest.Engine.Events;

/// <summary>
/// The hook jobs report their own transitions through (issue 11): call it from an activity after the
/// transition is durable, with a stable event id; calling it again with the same event changes nothing.
/// Runs of a job need no call: their events come from the run (set <c>RunRequest.JobId</c> and <c>JobKind</c>).
/// </summary>
public interface IJobEvents
{
    /// <exception cref="ArgumentException">The type is not a job event type.</exception>
    Task PublishAsync(JobEvent jobEvent, CancellationToken cancellationToken = default);
}
