namespace Orchest.Benchmarks.Measuring;

/// <summary>Median, min and max of a set of durations (in seconds).</summary>
public sealed record Statistics(double Median, double Min, double Max)
{
    public static Statistics? Of(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalSeconds).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Statistics(median, sorted[0], sorted[^1]);
    }
}
