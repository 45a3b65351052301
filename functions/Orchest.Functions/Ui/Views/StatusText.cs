using System.Globalization;

namespace Orchest.Functions.Ui.Views;

/// <summary>
/// How statuses and times read on the pages. A status is always a word and a symbol as well as a colour
/// (colour alone says nothing to people who do not see it); the script (ui.js) uses the same symbols.
/// </summary>
internal static class StatusText
{
    public const string NotInRun = "NOT IN RUN";

    public static string Icon(string status) => status switch
    {
        "PENDING" => "○",
        "STARTED" => "◔",
        "SUCCESS" => "✓",
        "FAILURE" => "✕",
        "ABORTED" => "⊘",
        "PAUSED" => "‖",
        "DRAFT" => "✎",
        _ => "–",
    };

    /// <summary>The CSS class that colours a status (s-success, ...).</summary>
    public static string Css(string status) => status.Length == 0 ? "s-plan" : status == NotInRun ? "s-none" : "s-" + status.ToLowerInvariant();

    public static bool IsTerminal(string status) => status is "SUCCESS" or "FAILURE" or "ABORTED";

    /// <summary>"0.4 s", "12.3 s", "3 min 07 s", "2 h 05 min"; empty before the start.</summary>
    public static string Duration(DateTimeOffset? started, DateTimeOffset? finished, DateTimeOffset now)
    {
        if (started is not { } start)
        {
            return "";
        }

        var span = (finished ?? now) - start;
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds:00} s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min"),
        };
    }

    /// <summary>A UTC time as the pages show it; the &lt;time&gt; element carries the exact value.</summary>
    public static string When(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "";

    public static string Iso(DateTimeOffset? time) => time?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "";

    public static string ShortCommit(string? commit) => commit is { Length: > 10 } ? commit[..10] : commit ?? "";
}
