using System.Text.Json.Nodes;
using Orchest.Functions.Ui.Views;

namespace Orchest.Functions.Ui.Tests;

/// <summary>What the create-a-job form sends to the jobs API, and what it refuses before asking the API.</summary>
public sealed class JobFormTests
{
    private static readonly NewJobEntry Cron = NewJobEntry.Empty with { Pipeline = "etl.orchest", Cron = "30 2 * * *", TimeZone = "Europe/Berlin" };

    [Fact]
    public void ToBody_CronWithZone_SendsCronAndTimeZoneAndLeavesBlankFieldsOut()
    {
        var problems = new List<string>();

        var body = JobForm.ToBody(Cron with { Name = "  nightly ", Ref = " " }, problems);

        Assert.Empty(problems);
        Assert.Equal("""{"name":"nightly","pipeline":"etl.orchest","cron":"30 2 * * *","time_zone":"Europe/Berlin"}""", body!.ToJsonString());
    }

    [Fact]
    public void ToBody_OnceInAZone_SendsTheInstantWithItsOffsetAndNoTimeZone()
    {
        var problems = new List<string>();

        var summer = JobForm.ToBody(Cron with { Schedule = "once", StartAt = "2026-07-01T18:00" }, problems);
        var winter = JobForm.ToBody(Cron with { Schedule = "once", StartAt = "2026-12-24T18:00:30" }, problems);

        Assert.Empty(problems);
        Assert.Equal("2026-07-01T18:00:00+02:00", summer!["start_at"]!.GetValue<string>());
        Assert.Equal("2026-12-24T18:00:30+01:00", winter!["start_at"]!.GetValue<string>());
        Assert.False(winter.ContainsKey("cron") || winter.ContainsKey("time_zone"));
    }

    [Fact]
    public void StartAt_TimeTheClocksSkipOrRepeat_IsRefusedOrTakenTheFirstTime()
    {
        var problems = new List<string>();

        Assert.Null(JobForm.StartAt("2026-03-29T02:30", "Europe/Berlin", problems));
        var repeated = JobForm.StartAt("2026-10-25T02:30", "Europe/Berlin", problems);

        Assert.Equal(["\"Start at\" 2026-03-29T02:30 does not exist in Europe/Berlin (the clocks skip it when daylight saving time starts)."], problems);
        Assert.Equal(TimeSpan.FromHours(2), repeated!.Value.Offset);
    }

    [Fact]
    public void ToBody_BadTimeZoneTimeAndParameters_SaysEachAndSendsNothing()
    {
        var problems = new List<string>();

        Assert.Null(JobForm.ToBody(Cron with { Schedule = "once", TimeZone = "Mars/Olympus", StartAt = "2026-07-01T18:00", Parameters = "[1," }, problems));
        Assert.Null(JobForm.ToBody(Cron with { Schedule = "once", StartAt = "tomorrow" }, problems));
        Assert.Null(JobForm.ToBody(Cron with { Schedule = "weekly" }, problems));

        Assert.Equal(
            [
                "\"Time zone\" \"Mars/Olympus\" is not a known time zone (use an IANA name such as \"Europe/Berlin\" or \"UTC\").",
                "\"Parameters\" must be JSON: a list of parameter sets (one run each) or one set, e.g. {\"pipeline_parameters\": {\"report_title\": \"Q3\"}}.",
                "\"Start at\" \"tomorrow\" must be a date and time, e.g. 2026-12-24T18:00.",
                "\"Schedule\" \"weekly\" is not one of: a cron schedule, once at a time, once now.",
            ],
            problems);
    }

    [Fact]
    public void ToBody_ParametersAsOneSetOrAList_SendsAList()
    {
        var problems = new List<string>();

        var one = JobForm.ToBody(Cron with { Schedule = "now", Parameters = """{"pipeline_parameters": {"a": 1}}""" }, problems);
        var two = JobForm.ToBody(Cron with { Parameters = """[{"pipeline_parameters": {"a": 1}}, {}]""" }, problems);
        var plain = JobForm.ToBody(Cron with { Parameters = "[1]" }, problems);

        Assert.Empty(problems);
        Assert.Equal("""[{"pipeline_parameters":{"a":1}}]""", one!["parameters"]!.ToJsonString());
        Assert.False(one.ContainsKey("cron"));
        Assert.Equal(2, ((JsonArray)two!["parameters"]!).Count);
        Assert.Equal("[1]", plain!["parameters"]!.ToJsonString()); // the API says what is wrong with it
    }
}
