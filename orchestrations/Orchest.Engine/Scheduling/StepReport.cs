namespace Orchest.Engine.Scheduling;

/// <summary>
/// How one dispatched step attempt went, as its host reports it to a durable orchestrator after the
/// fact: which host ran it, as which attempt, when, and with what outcome.
/// </summary>
/// <param name="Attempt">The attempt number it ran as: the dispatched one, or higher when earlier executions of the same dispatch were lost with their host.</param>
/// <param name="Host">The host that ran it.</param>
/// <param name="Started">When its execution began (the host's clock).</param>
/// <param name="Finished">When it ended (the host's clock).</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="HostStopped">True when the host shut down before the step ended: the step runs again elsewhere.</param>
/// <param name="LostOn">Hosts that began earlier executions of this dispatch and were lost with them, oldest first.</param>
/// <param name="StepUuid">The step it ran (null from hosts before it was reported): a durable orchestrator checks the report is its dispatch's.</param>
public sealed record StepReport(
    int Attempt,
    string Host,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    StepOutcome Outcome,
    bool HostStopped = false,
    IReadOnlyList<string>? LostOn = null,
    string? StepUuid = null)
{
    /// <summary>
    /// Whether this report can be <paramref name="item"/>'s: of its step (when the report names one) and at least
    /// its attempt. A durable orchestrator matches results to calls by number alone; a call a killed host's
    /// uncheckpointed episode made under a number the replay gave another call delivers a result that is not this one's.
    /// </summary>
    public bool IsFor(StepWorkItem item) =>
        (StepUuid is null || string.Equals(StepUuid, item.StepUuid, StringComparison.Ordinal)) && Attempt >= item.Attempt;
}
