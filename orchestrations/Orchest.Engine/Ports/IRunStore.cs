using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Ports;

/// <summary>
/// Durable state of runs. Every transition commits atomically with an optimistic check on the run
/// row's version (Table storage: one entity-group transaction with ETags), so two concurrent
/// transitions of one run can never both apply.
/// </summary>
public interface IRunStore
{
    /// <summary>Creates the run row, its step rows, its definition and the creation events, all or nothing.</summary>
    Task CreateAsync(RunSnapshot snapshot, RunDefinition definition, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken = default);

    Task<RunSnapshot?> GetAsync(string runId, CancellationToken cancellationToken = default);

    Task<RunDefinition?> GetDefinitionAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Applies the transition if the run row still has <c>transition.Before.Run.Version</c>; false on a conflict.</summary>
    Task<bool> TryCommitAsync(RunTransition transition, CancellationToken cancellationToken = default);
}
