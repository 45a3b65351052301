using Orchest.Engine.Execution;

namespace Orchest.Functions.Workers;

/// <summary>The queue-triggered step worker: takes ready steps from the queue and runs them (role "worker").</summary>
internal sealed class StepWorkerService(RunEngine engine) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => engine.Worker.RunAsync(stoppingToken);
}
