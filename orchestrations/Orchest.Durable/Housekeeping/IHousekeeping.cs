namespace Orchest.Durable.Housekeeping;

/// <summary>
/// One round of the host's periodic housekeeping, run by <see cref="HousekeepingActivity"/>: what it does
/// needs the served API's stores (jobs, git deliveries), so the host implements it.
/// </summary>
public interface IHousekeeping
{
    /// <summary>
    /// Does one round (failures are the implementation's to log: a round that fails is tried again next
    /// time) and says how long to wait before the next one.
    /// </summary>
    /// <param name="round">What this round includes.</param>
    /// <param name="cancellationToken">Stops the round.</param>
    Task<HousekeepingOutcome> RunAsync(HousekeepingRound round, CancellationToken cancellationToken = default);
}

/// <param name="Prune">Whether this round also forgets old records (hourly).</param>
public sealed record HousekeepingRound(bool Prune);

/// <param name="Interval">How long to wait before the next round (the host's configured interval).</param>
public sealed record HousekeepingOutcome(TimeSpan Interval);

/// <param name="NextPrune">When a round next includes pruning.</param>
public sealed record HousekeepingInput(DateTime NextPrune);
