namespace Orchest.Benchmarks.Measuring;

/// <summary>Median, min and max of a set of durations (in seconds) or of plain figures (rates, counts).</summary>
public sealed record Statistics(double Median, double Min, double Max)
{
    public static Statistics? Of(IEnumerable<TimeSpan> values) => Of(values.Select(v => v.TotalSeconds));

    /// <summary>The median duration; null when there are none.</summary>
    public static TimeSpan? MedianOf(IEnumerable<TimeSpan> values) => Of(values) is { } statistics ? TimeSpan.FromSeconds(statistics.Median) : null;

    public static Statistics? Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Statistics(median, sorted[0], sorted[^1]);
    }
}
