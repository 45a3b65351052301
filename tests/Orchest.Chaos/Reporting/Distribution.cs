namespace Orchest.Chaos.Reporting;

/// <summary>Count, min, median, mean, 90th percentile and max of some seconds (all zero when there are none).</summary>
public sealed record Distribution(int Count, double Min, double Median, double Mean, double P90, double Max)
{
    public static Distribution Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return new(0, 0, 0, 0, 0, 0);
        }

        double At(double quantile) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(quantile * sorted.Count))];
        return new(sorted.Count, sorted[0], At(0.5), Math.Round(sorted.Average(), 2), At(0.9), sorted[^1]);
    }
}
