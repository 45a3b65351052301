using Orchest.Engine.Runs;

namespace Orchest.Engine.Ports;

/// <summary>Finding runs (served mode): by project, newest first, and the runs still in progress.</summary>
public interface IRunCatalog
{
    /// <summary>One page of a project's runs, newest first, optionally filtered.</summary>
    Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Runs not yet ended (the reconciler's work list).</summary>
    Task<IReadOnlyList<string>> ListActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>A run's events in commit order.</summary>
    Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, CancellationToken cancellationToken = default);
}
