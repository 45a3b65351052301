using Orchest.Engine.Jobs;

namespace Orchest.Durable.Jobs;

/// <summary>
/// Decides which ticks a job runs when it wakes (pure). A tick is due once the job's time passes it and
/// it is after the horizon (the newest tick already handled): a tick is handled at most once however
/// often or early the job wakes (durable timers fire early on Azure Storage). A due tick late by more
/// than the misfire threshold was missed (no host could fire it: all were down); missed ticks follow
/// the <see cref="CatchUpPolicy"/>. Ticks late by less run, each once, however many they are.
/// </summary>
public static class TickPlanner
{
    /// <summary>Due ticks counted at most (a per-second cron after a week down has 604,800): skipped counts saturate here.</summary>
    public const int MaxCounted = 100_000;

    public static TickPlan Plan(TickSchedule schedule, JobSchedule spec, DateTimeOffset horizon, DateTimeOffset now, TimeSpan misfireThreshold)
    {
        var missed = new Queue<DateTimeOffset>();
        var onTime = new List<DateTimeOffset>();
        long missedCount = 0;
        DateTimeOffset? newestMissed = null;
        // A one-off job runs however late it is: its one tick is never skipped.
        var policy = schedule.IsCron ? spec.CatchUp : CatchUpPolicy.Latest;
        var keep = policy == CatchUpPolicy.All ? Math.Max(1, spec.CatchUpLimit) : 1;
        foreach (var tick in schedule.Between(horizon, now, MaxCounted))
        {
            if (now - tick > misfireThreshold)
            {
                missedCount++;
                newestMissed = tick;
                missed.Enqueue(tick);
                if (missed.Count > keep)
                {
                    missed.Dequeue();
                }
            }
            else
            {
                onTime.Add(tick);
            }
        }

        DateTimeOffset? handled = onTime.Count > 0 ? onTime[^1] : newestMissed;
        var run = new List<DateTimeOffset>();
        if (missedCount > 0)
        {
            switch (policy)
            {
                case CatchUpPolicy.All:
                    run.AddRange(missed);
                    break;
                case CatchUpPolicy.Latest when onTime.Count == 0:
                    run.Add(newestMissed!.Value);
                    break;
            }
        }

        run.AddRange(onTime);
        var next = schedule.Next(Later(handled ?? horizon, now));
        return new TickPlan(run, missedCount - (run.Count - onTime.Count), handled, next);
    }

    /// <summary>The time a durable timer must be set for to fire no earlier than <paramref name="tick"/> (see <see cref="DurableDelay"/>).</summary>
    public static DateTime WakeAt(DateTimeOffset tick) => tick.UtcDateTime + TimeSpan.FromSeconds(1);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
