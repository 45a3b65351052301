namespace Orchest.Functions.Ui.Views;

/// <summary>
/// What was typed into the create-a-job form, kept to show it again with the problems. <c>Schedule</c> is
/// <c>cron</c>, <c>once</c> (at <c>StartAt</c>, a local time as an HTML datetime-local field sends it, read in
/// <c>TimeZone</c>) or <c>now</c>.
/// </summary>
public sealed record NewJobEntry(
    string Name, string? Pipeline, string Ref, string Schedule, string Cron, string TimeZone, string StartAt, string Parameters)
{
    public static NewJobEntry Empty { get; } = new("", null, "", "cron", "", "UTC", "", "");
}
