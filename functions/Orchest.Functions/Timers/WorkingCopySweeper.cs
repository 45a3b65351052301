using Orchest.Git;

namespace Orchest.Functions.Timers;

/// <summary>
/// Timer-triggered: removes run working copies on this host that no step used for a while (the run
/// ended on another host, or this host crashed mid-run).
/// </summary>
internal sealed class WorkingCopySweeper(GitRunWorkspaces workspaces, TimeProvider clock) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan IdleFor = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await workspaces.RemoveStaleWorkingCopiesAsync(IdleFor, stoppingToken);
        }
    }
}
