using Orchest.Functions.GitHooks;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Timers;

/// <summary>
/// Timer-triggered: forgets git webhook deliveries older than <c>Orchest:GitHooks:DeliveryRetention</c>
/// (default 14 days), so the table of remembered deliveries does not grow forever.
/// </summary>
internal sealed class GitDeliveryPruner(GitDeliveryLog deliveries, GitDeliveryRetention retention, TimeProvider clock, ILogger<GitDeliveryPruner> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                var pruned = await deliveries.PruneAsync(retention.Value, stoppingToken);
                if (pruned > 0)
                {
                    HostLogs.GitDeliveriesPruned(logger, pruned, retention.Value);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                HostLogs.GitDeliveryPruneFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>How long git webhook deliveries are remembered (a redelivery within it is answered as the first).</summary>
internal sealed record GitDeliveryRetention(TimeSpan Value)
{
    public const string Key = "Orchest:GitHooks:DeliveryRetention";

    public static readonly TimeSpan Default = TimeSpan.FromDays(14);

    /// <summary>The configured retention; a value that is not a positive time span stops the host with this key named.</summary>
    public static GitDeliveryRetention From(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new GitDeliveryRetention(Default);
        }

        if (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Key} must be a positive time span such as 14.00:00:00 (14 days), not \"{text}\".");
        }

        return new GitDeliveryRetention(value);
    }
}
