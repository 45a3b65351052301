namespace Orchest.Chaos.Reporting;

/// <summary>
/// One run of a trial in the report: what was planned, what the API answered, how it ended, and how long
/// it took from its creation to its end (kills and cancels show here). <see cref="Redelivery"/>: how the
/// redelivery of a push that got no answer was answered (its status, and the answer's own status when it has one).
/// </summary>
public sealed record RunSummary(
    string Name, string Shape, string? RunId, string Submission, string? Cancel, double? CancelAtSeconds,
    string? Status, string Expected, int Steps, int Attempts, double? Seconds, string? Redelivery = null);
