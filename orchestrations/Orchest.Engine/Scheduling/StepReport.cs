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
public sealed record StepReport(
    int Attempt,
    string Host,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    StepOutcome Outcome,
    bool HostStopped = false,
    IReadOnlyList<string>? LostOn = null);
