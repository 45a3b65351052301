using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;

namespace Orchest.Durable.Tests.Jobs;

public sealed class TickPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(60);

    [Fact]
    public void Plan_BeforeTheTick_RunsNothingAndWakesForIt()
    {
        var plan = Plan("*/2 * * * * *", horizon: T0, now: T0.AddSeconds(0.9));

        Assert.True(plan.IsIdle);
        Assert.Null(plan.Handled);
        Assert.Equal(T0.AddSeconds(2), plan.Next);
    }

    [Fact]
    public void Plan_TimerFiredEarly_NeverRunsTheHandledTickAgain()
    {
        // The tick at +2 s was handled (horizon); a timer firing too early at +2.5 s finds nothing due.
        var plan = Plan("*/2 * * * * *", horizon: T0.AddSeconds(2), now: T0.AddSeconds(2.5));

        Assert.True(plan.IsIdle);
        Assert.Equal(T0.AddSeconds(4), plan.Next);
    }

    [Fact]
    public void Plan_WithinTheLeadOfTheTick_TakesItEarly()
    {
        // Timers fire up to a second early: the tick is taken, and its activity waits for the exact time.
        var plan = Plan("*/2 * * * * *", horizon: T0, now: T0.AddSeconds(1.2));

        Assert.Equal([T0.AddSeconds(2)], plan.Run);
        Assert.Equal(T0.AddSeconds(4), plan.Next);
    }

    [Fact]
    public void Plan_TickDue_RunsItOnceAndWaitsForTheNext()
    {
        var plan = Plan("*/2 * * * * *", horizon: T0, now: T0.AddSeconds(2.4));

        Assert.Equal([T0.AddSeconds(2)], plan.Run);
        Assert.Equal((0L, T0.AddSeconds(2), T0.AddSeconds(4)), (plan.Skipped, plan.Handled, plan.Next));
    }

    [Fact]
    public void Plan_LateByLessThanTheThreshold_RunsEveryTick()
    {
        // A host failover of ~10 s: five ticks are late, none missed.
        var plan = Plan("*/2 * * * * *", horizon: T0, now: T0.AddSeconds(10.5));

        Assert.Equal([2, 4, 6, 8, 10], plan.Run.Select(t => (int)(t - T0).TotalSeconds));
        Assert.Equal(0, plan.Skipped);
        Assert.Equal(T0.AddSeconds(12), plan.Next);
    }

    [Fact]
    public void Plan_MissedTicksLatest_RunsTheNewestOnceAndCountsTheRest()
    {
        // Every host down for an hour on a five-minute job: twelve missed ticks.
        var plan = Plan("*/5 * * * *", horizon: T0, now: T0.AddHours(1).AddSeconds(90));

        Assert.Equal([T0.AddHours(1)], plan.Run);
        Assert.Equal(11, plan.Skipped);
        Assert.Equal(T0.AddHours(1), plan.Handled);
        Assert.Equal(T0.AddHours(1).AddMinutes(5), plan.Next);
    }

    [Fact]
    public void Plan_MissedTicksLatestWithAnOnTimeTick_RunsTheOnTimeOneOnly()
    {
        var plan = Plan("* * * * *", horizon: T0, now: T0.AddMinutes(5).AddSeconds(30));

        Assert.Equal([T0.AddMinutes(5)], plan.Run);
        Assert.Equal(4, plan.Skipped);
    }

    [Fact]
    public void Plan_MissedTicksNone_SkipsThemAll()
    {
        var plan = Plan("*/5 * * * *", horizon: T0, now: T0.AddMinutes(50).AddSeconds(61), CatchUpPolicy.None);

        Assert.Empty(plan.Run);
        Assert.Equal(10, plan.Skipped);
        Assert.Equal(T0.AddMinutes(50), plan.Handled);
        Assert.False(plan.IsIdle);
        Assert.Equal(T0.AddMinutes(55), plan.Next);
    }

    [Fact]
    public void Plan_MissedTicksAll_RunsTheNewestUpToTheLimitOldestFirst()
    {
        var plan = Plan("*/5 * * * *", horizon: T0, now: T0.AddMinutes(50).AddSeconds(61), CatchUpPolicy.All, limit: 3);

        Assert.Equal([T0.AddMinutes(40), T0.AddMinutes(45), T0.AddMinutes(50)], plan.Run);
        Assert.Equal(7, plan.Skipped);
    }

    [Fact]
    public void Plan_OneOffLongOverdue_RunsWhateverThePolicy()
    {
        var schedule = new JobSchedule { StartAt = T0, CatchUp = CatchUpPolicy.None };

        var plan = TickPlanner.Plan(TickSchedule.Of(schedule, T0), schedule, DateTimeOffset.MinValue, T0.AddDays(2), Threshold);

        Assert.Equal([T0], plan.Run);
        Assert.Null(plan.Next);
    }

    [Fact]
    public void Plan_OneOffHandled_HasNothingMore()
    {
        var schedule = new JobSchedule { StartAt = T0 };

        var plan = TickPlanner.Plan(TickSchedule.Of(schedule, T0), schedule, T0, T0.AddDays(2), Threshold);

        Assert.True(plan.IsIdle);
        Assert.Null(plan.Next);
    }

    [Fact]
    public void WakeAt_IsTheTick()
    {
        // Azure Storage timers fire up to a second early (whole-second visibility, rounded down): in [tick - 1 s, tick].
        Assert.Equal(T0.UtcDateTime, TickPlanner.WakeAt(T0));
    }

    private static TickPlan Plan(string cron, DateTimeOffset horizon, DateTimeOffset now, CatchUpPolicy policy = CatchUpPolicy.Latest, int limit = 10)
    {
        var schedule = new JobSchedule { Cron = cron, CatchUp = policy, CatchUpLimit = limit };
        return TickPlanner.Plan(TickSchedule.Of(schedule, T0), schedule, horizon, now, Threshold);
    }
}
