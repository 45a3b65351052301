namespace Orchest.Engine.Events;

/// <summary>
/// Where events go once their transition is written: a per-project log (what
/// <c>GET /api/projects/{p}/events</c> reads) and the webhook outbox (a pending delivery per matching
/// subscription). Called at least once per event; recording an event again changes nothing.
/// </summary>
public interface IEventLog
{
    /// <summary>
    /// Lists <paramref name="events"/> under their project at <paramref name="recorded"/> (when they were
    /// written, the same on every redelivery) and queues a delivery of each to every subscription matching it.
    /// </summary>
    Task AppendAsync(IReadOnlyList<OrchestEvent> events, DateTimeOffset recorded, CancellationToken cancellationToken = default);

    /// <summary>One page of a project's events in the order they were recorded, oldest first.</summary>
    Task<EventPage> ListAsync(EventQuery query, CancellationToken cancellationToken = default);
}
