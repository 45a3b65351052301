namespace Orchest.Engine.Events;

/// <summary>
/// The attempt rows hosts write when they begin a step (no extra write: they exist for failover). The
/// event stream reads them to show a step running before its <c>step.started</c> event exists, which the
/// orchestration decides only when it learns the attempt's outcome.
/// </summary>
public interface IStepAttemptFeed
{
    /// <summary>Attempts of the run begun (written) at or after <paramref name="since"/> (null: all).</summary>
    Task<IReadOnlyList<StepAttemptBegun>> ReadBegunAsync(string runId, DateTimeOffset? since, CancellationToken cancellationToken = default);
}
