namespace Orchest.Engine.Runs;

/// <summary>
/// One transition, as recorded with the state change that caused it. Events carry ids, statuses and
/// messages, never parameter or environment values. A run's events are numbered densely from 0 in the
/// order the run's state machine decided them.
/// </summary>
public sealed record RunEvent(
    string Type,
    string RunId,
    string? StepUuid,
    DateTimeOffset Timestamp,
    ExecutionStatus Status,
    int? Attempt = null,
    string? Message = null,
    long Sequence = 0)
{
    /// <summary>Unique and stable across redelivery (webhook receivers de-duplicate by it): run id and sequence.</summary>
    public string Id => IdOf(RunId, Sequence);

    public static string IdOf(string runId, long sequence) =>
        runId + "-" + sequence.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
