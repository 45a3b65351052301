using System.Globalization;
using System.Text.RegularExpressions;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Measuring;

/// <summary>
/// Reads the wall-clock time a trigger step wrote as its first action (<see cref="Workload.StampingShell"/>)
/// out of its output or log. The harness compares it with its own clock (same machine, same clock).
/// </summary>
public static partial class StepStamp
{
    public static DateTimeOffset Parse(string output, string where)
    {
        var match = StampLine().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException($"no \"{Workload.StepStampPrefix} <seconds>\" line in {where}: {output[..Math.Min(output.Length, 300)]}");
        }

        // Seconds with microseconds: decimal keeps every digit (a double would round below a microsecond).
        var seconds = decimal.Parse(match.Groups[1].Value.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }

    [GeneratedRegex(Workload.StepStampPrefix + @" ([0-9]+[.,][0-9]+)")]
    private static partial Regex StampLine();
}
