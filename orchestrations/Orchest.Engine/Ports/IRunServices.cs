using Orchest.Engine.Runs;

namespace Orchest.Engine.Ports;

/// <summary>
/// A run's pipeline services (Orchest's <c>services</c> with a non-interactive scope) on the Docker host this
/// host uses: started before the run's first step, stopped and removed when it ends. Served runs call it from
/// activities, so both calls are idempotent: a start again replaces what an earlier start of the same run
/// left; a stop again finds nothing left to stop.
/// </summary>
public interface IRunServices
{
    /// <summary>
    /// Starts the run's services in <c>order</c> and waits until each is ready. A service that cannot start
    /// is reported in <see cref="RunServicesStart.Failure"/>; what started stays until <see cref="StopAsync"/>.
    /// </summary>
    Task<RunServicesStart> StartAsync(RunRecord run, RunDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Stops and removes every service container of the run, keeping each one's log; returns how many it removed.</summary>
    Task<int> StopAsync(string runId, CancellationToken cancellationToken = default);
}
