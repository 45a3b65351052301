namespace Orchest.Engine.Ports;

/// <summary>
/// Runs one step attempt to completion (a local process, a container, later a Kubernetes pod).
/// Cancelling the token stops it: TERM, then KILL after the runner's grace period; the call returns
/// only when nothing of the step is left running.
/// </summary>
public interface IStepRunner
{
    /// <summary>Short name used in configuration and logs ("process", "docker").</summary>
    string Name { get; }

    Task<StepExit> RunAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken = default);
}
