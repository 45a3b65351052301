using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Ports;

/// <summary>
/// State of the embedded engine's runs. Every transition commits atomically with an optimistic check
/// on the run's version, so two concurrent transitions of one run can never both apply. (Served runs
/// are Durable Task orchestrations; their state is read from <see cref="IRunProjection"/>.)
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
