using System.Globalization;

namespace Orchest.Benchmarks.Reporting;

/// <summary>Number formats shared by the table and its notes (invariant culture).</summary>
internal static class Format
{
    public static string Seconds(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Milliseconds(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "";

    public static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0", CultureInfo.InvariantCulture);

    public static string Rate(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Ratio(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "";
}
