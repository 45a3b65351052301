namespace Orchest.Engine.Events;

/// <summary>A page of events; <paramref name="ContinuationToken"/> reads on from where it ended (null: nothing more yet).</summary>
public sealed record EventPage(IReadOnlyList<OrchestEvent> Events, string? ContinuationToken);
