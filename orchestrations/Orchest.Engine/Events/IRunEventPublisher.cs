using Orchest.Engine.Runs;

namespace Orchest.Engine.Events;

/// <summary>
/// Publishes the events of a run's progress once the progress is written (the run's projection entity
/// calls it after each one, at least once, in order): to the project's event log and the webhook outbox.
/// </summary>
public interface IRunEventPublisher
{
    Task PublishAsync(RunProgress progress, CancellationToken cancellationToken = default);
}
