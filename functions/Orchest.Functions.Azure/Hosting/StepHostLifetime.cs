using Microsoft.Extensions.Hosting;
using Orchest.Durable;

namespace Orchest.Functions.Azure.Hosting;

/// <summary>
/// What serve's task hub does around its step activities, for this worker: the watcher that stops steps of
/// runs that must stop (cancel, fail-fast), and on shutdown running steps stopped first and reported as
/// stopped by their host, so their runs dispatch them again on another instance.
/// </summary>
internal sealed class StepHostLifetime(StepStopWatcher watcher, StepHost host) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => watcher.RunAsync(stoppingToken);

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        host.Stopping();
        return base.StopAsync(cancellationToken);
    }
}
