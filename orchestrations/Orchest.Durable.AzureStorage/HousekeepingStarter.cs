using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchest.Durable.Housekeeping;

namespace Orchest.Durable.AzureStorage;

/// <summary>
/// Role "timers": makes sure the hub's housekeeping orchestration runs, when the host starts and then every
/// <see cref="TaskHubOptions.HousekeepingCheckInterval"/> (one that failed or was terminated is started again;
/// one instance read when it runs).
/// </summary>
internal sealed class HousekeepingStarter(IDurableHousekeeping housekeeping, TaskHubOptions options, TimeProvider clock, ILogger<HousekeepingStarter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HousekeepingCheckInterval, clock);
        try
        {
            do
            {
                await housekeeping.TryEnsureAsync(logger, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }
}
