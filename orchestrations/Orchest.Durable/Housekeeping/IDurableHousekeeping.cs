namespace Orchest.Durable.Housekeeping;

/// <summary>Keeps the hub's <see cref="HousekeepingOrchestrator"/> going: the host's side of starting it.</summary>
public interface IDurableHousekeeping
{
    /// <summary>
    /// Starts the housekeeping orchestration unless it is running (or about to): one that completed, failed or
    /// was terminated is replaced. True when this call started one.
    /// </summary>
    Task<bool> EnsureAsync(CancellationToken cancellationToken = default);
}
