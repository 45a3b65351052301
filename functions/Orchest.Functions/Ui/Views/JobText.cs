using Orchest.Engine.Jobs;

namespace Orchest.Functions.Ui.Views;

/// <summary>How a job's schedule reads on the pages.</summary>
internal static class JobText
{
    /// <summary>"cron 30 2 * * * (Europe/Berlin)", "once at 2026-12-24 17:00:00 UTC", "once, when confirmed".</summary>
    public static string Schedule(JobSchedule schedule) => schedule switch
    {
        { Cron: { } cron } => $"cron {cron} ({schedule.TimeZone ?? "UTC"})",
        { StartAt: { } at } => $"once at {StatusText.When(at)}",
        _ => "once, when confirmed",
    };

    public static string Kind(JobTickKind kind) => kind switch
    {
        JobTickKind.Scheduled => "scheduled",
        JobTickKind.Once => "one-off",
        JobTickKind.Triggered => "triggered",
        _ => "skipped",
    };
}
