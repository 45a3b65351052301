using Orchest.Engine.Jobs;

namespace Orchest.Durable.Jobs;

/// <summary>
/// Decides which ticks a job runs when it wakes (pure). A tick is due once the job's time is within
/// <see cref="Lead"/> of it and it is after the horizon (the newest tick already handled): a tick is
/// handled at most once however often or early the job wakes. A due tick late by more than the misfire
/// threshold was missed (no host could fire it: all were down); missed ticks follow the
/// <see cref="CatchUpPolicy"/>. Ticks late by less run, each once, however many they are.
/// </summary>
/// <remarks>
/// Durable timers on Azure Storage fire up to a second early (the queue's visibility delay is whole seconds,
/// rounded down). The job sets its timer for the tick itself and takes a tick up to <see cref="Lead"/> early;
/// the tick's activity then waits for the exact time before it starts runs. Ticks start on time rather than
/// up to a second late, at no extra storage cost.
/// </remarks>
public static class TickPlanner
{
    /// <summary>How early a tick may be taken (its activity waits for the rest): the timers' whole-second rounding.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromSeconds(1);

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
        foreach (var tick in schedule.Between(horizon, now + Lead, MaxCounted))
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
        var next = schedule.Next(Later(handled ?? horizon, now + Lead));
        return new TickPlan(run, missedCount - (run.Count - onTime.Count), handled, next);
    }

    /// <summary>The time a durable timer is set for to handle <paramref name="tick"/>: the tick (it fires within <see cref="Lead"/> before it).</summary>
    public static DateTime WakeAt(DateTimeOffset tick) => tick.UtcDateTime;

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
