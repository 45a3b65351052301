using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;

namespace Orchest.Durable.Tests.Jobs;

public sealed class TickScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, 500, TimeSpan.Zero);

    [Fact]
    public void Next_CronWithSeconds_IsTheNextOccurrenceStrictlyAfter()
    {
        var schedule = Read(new JobSchedule { Cron = "*/2 * * * * *" });

        Assert.Equal(Now.AddMilliseconds(1500), schedule.Next(Now));
        Assert.Equal(Now.AddMilliseconds(3500), schedule.Next(Now.AddMilliseconds(1500)));
    }

    [Fact]
    public void Next_FiveFieldsInATimeZone_IsThatZonesWallClock()
    {
        var schedule = Read(new JobSchedule { Cron = "0 9 * * *", TimeZone = "Europe/Berlin" });

        // 09:00 in Berlin in December is 08:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero), schedule.Next(Now));
    }

    [Fact]
    public void Next_OneOff_IsItsTimeOnlyBeforeIt()
    {
        var at = Now.AddMinutes(5);
        var schedule = Read(new JobSchedule { StartAt = at });

        Assert.Equal(at, schedule.Next(Now));
        Assert.Null(schedule.Next(at));
    }

    [Fact]
    public void Read_OneOffWithoutTime_RunsAtConfirmation()
    {
        Assert.Equal(Now, Read(new JobSchedule()).Next(DateTimeOffset.MinValue));
    }

    [Fact]
    public void Between_IsHalfOpenAndBounded()
    {
        var schedule = Read(new JobSchedule { Cron = "* * * * * *" });

        Assert.Equal(
            [Now.AddMilliseconds(500), Now.AddMilliseconds(1500)],
            schedule.Between(Now, Now.AddMilliseconds(1500), 10));
        Assert.Equal(3, schedule.Between(Now, Now.AddHours(1), 3).Count());
    }

    [Theory]
    [InlineData("*/2 * * *", null, null, "\"cron\" \"*/2 * * *\" is not a valid cron expression: it has 4 fields; use 5 (minute hour day-of-month month day-of-week) or 6 (seconds first), or a macro such as @hourly.")]
    [InlineData("61 * * * *", null, null, "\"cron\" \"61 * * * *\" is not a valid cron expression:")]
    [InlineData("0 0 30 2 *", null, null, "\"cron\" \"0 0 30 2 *\" never fires.")]
    [InlineData("0 9 * * *", "Mars/Olympus_Mons", null, "\"time_zone\" \"Mars/Olympus_Mons\" is not a known time zone (use an IANA name such as \"Europe/Berlin\" or \"UTC\").")]
    [InlineData("0 9 * * *", null, "2026-12-24T18:00:00Z", "Give either \"cron\" (a recurring job) or \"start_at\" (a one-off job), not both.")]
    [InlineData(null, "Europe/Berlin", null, "\"time_zone\" applies to \"cron\" only; a one-off job's \"start_at\" carries its own offset.")]
    public void Read_Invalid_SaysWhatIsWrong(string? cron, string? zone, string? startAt, string expected)
    {
        var problems = new List<string>();

        var schedule = TickSchedule.Read(
            new JobSchedule { Cron = cron, TimeZone = zone, StartAt = startAt is null ? null : DateTimeOffset.Parse(startAt, System.Globalization.CultureInfo.InvariantCulture) },
            Now, problems);

        Assert.Null(schedule);
        Assert.StartsWith(expected, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryProblemAtOnce()
    {
        var problems = new List<string>();

        TickSchedule.Read(new JobSchedule { Cron = "nope", TimeZone = "Nowhere/Else", StartAt = Now, CatchUpLimit = 0 }, Now, problems);

        Assert.Equal(4, problems.Count);
    }

    private static TickSchedule Read(JobSchedule schedule)
    {
        var problems = new List<string>();
        var read = TickSchedule.Read(schedule, Now, problems);
        Assert.Empty(problems);
        return read!;
    }
}
