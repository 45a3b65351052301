using Orchest.Engine.Runs;

namespace Orchest.Engine.Ports;

/// <summary>
/// Gives a run the folder its steps run in: the project folder itself (embedded) or a writable
/// working copy of the run's commit shared by the run's steps on this host (served).
/// </summary>
public interface IRunWorkspaces
{
    Task<RunWorkspace> AcquireAsync(RunRecord run, RunDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Called when the run ended, on every host that acquired it.</summary>
    Task ReleaseAsync(string runId, CancellationToken cancellationToken = default);
}
