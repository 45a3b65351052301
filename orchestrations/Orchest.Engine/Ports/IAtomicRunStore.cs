using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Ports;

/// <summary>
/// A store that can read, decide and commit a run's transition as one step (a single process holding
/// all state). The engine then never retries on conflicts; durable stores use read-decide-commit with
/// an ETag check instead.
/// </summary>
public interface IAtomicRunStore : IRunStore
{
    Task<TransitionResult> ApplyAsync(string runId, Func<RunSnapshot, TransitionResult> decide, CancellationToken cancellationToken = default);
}
