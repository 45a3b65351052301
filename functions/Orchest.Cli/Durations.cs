using System.Globalization;

namespace Orchest.Cli;

/// <summary>Human durations: "850 ms", "12.3 s", "4 min 05 s".</summary>
internal static class Durations
{
    public static string Between(DateTimeOffset? start, DateTimeOffset? end) =>
        start is { } s && end is { } e ? Format(e - s) : "-";

    public static string Format(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0} ms"),
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds:00} s"),
    };
}
