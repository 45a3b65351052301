using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchest.Runners.Docker;

/// <summary>Docker's size syntax for memory limits: bytes, or a number with k, m, g, t (powers of 1024; "kb", "Mi", "GiB" accepted too).</summary>
internal static partial class ResourceQuantity
{
    public static bool TryParseMemory(string text, out long bytes)
    {
        bytes = 0;
        var match = Size().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var shift = match.Groups["u"].Value.ToUpperInvariant() switch
        {
            "K" => 10,
            "M" => 20,
            "G" => 30,
            "T" => 40,
            _ => 0,
        };
        var total = value * Math.Pow(2, shift);
        if (total >= long.MaxValue)
        {
            return false;
        }

        bytes = (long)total;
        // Docker's smallest accepted memory limit is 6 MiB; anything below is a typo.
        return bytes >= 6L << 20;
    }

    public static long NanoCpus(double cpus) => (long)Math.Round(cpus * 1e9);

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)\s*(?<u>[kmgtKMGT]?)([iI]?[bB]|[iI])?$")]
    private static partial Regex Size();
}
