using DurableTask.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchest.Durable.AzureStorage;

/// <summary>
/// Timer (role "timers"): deletes the task hub's history of orchestrations and entities that ended more
/// than <see cref="TaskHubOptions.HistoryRetention"/> ago. A run's record, events, logs and outputs live in
/// the projection and blobs, not there; the history only drives the run while it is in progress, and the
/// task hub's tables would otherwise grow with every run ever made.
/// </summary>
internal sealed class TaskHubHistoryPurge(OrchestTaskHub hub, TaskHubOptions options, TimeProvider clock, ILogger<TaskHubHistoryPurge> logger) : BackgroundService
{
    private static readonly OrchestrationStatus[] Ended =
        [OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.Terminated, OrchestrationStatus.Canceled];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HistoryPurgeInterval, clock);
        try
        {
            do
            {
                await PurgeOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await hub.Ready.WaitAsync(cancellationToken);
            var before = (clock.GetUtcNow() - options.HistoryRetention).UtcDateTime;
            var result = await hub.PurgeAsync(DateTime.MinValue, before, Ended);
            if (result > 0)
            {
                Logs.HistoryPurged(logger, result, before);
            }

            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logs.HistoryPurgeFailed(logger, ex);
            return 0;
        }
    }
}
