namespace Orchest.Engine.Runs;

/// <summary>
/// One transition, as recorded with the state change that caused it. Events carry ids, statuses and
/// messages, never parameter or environment values.
/// </summary>
public sealed record RunEvent(
    string Type,
    string RunId,
    string? StepUuid,
    DateTimeOffset Timestamp,
    ExecutionStatus Status,
    int? Attempt = null,
    string? Message = null)
{
    /// <summary>Unique id (used as the row key of the event and for webhook de-duplication).</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString("n");
}
