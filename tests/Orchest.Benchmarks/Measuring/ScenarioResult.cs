namespace Orchest.Benchmarks.Measuring;

/// <summary>One scenario's results across contenders.</summary>
public sealed class ScenarioResult
{
    public required string Scenario { get; init; }
    public required string Description { get; init; }
    public string? Unavailable { get; init; }
    public int Steps { get; init; }
    public bool IsChain { get; init; }

    /// <summary>What kind of scenario this is (what a sample's wall means).</summary>
    public Scenarios.ScenarioKind Kind { get; init; }

    /// <summary>The raw lower bound of this scenario (raw-bash; raw-podman for containers).</summary>
    public string RawBaseline { get; init; } = Orchest.Benchmarks.Contenders.ContenderNames.RawBash;
    public List<ContenderResult> Contenders { get; } = [];

    public ContenderResult? Find(string contender) => Contenders.FirstOrDefault(c => c.Contender == contender);

    /// <summary>Median wall of <paramref name="contender"/> over median wall of <paramref name="baseline"/>.</summary>
    public double? Ratio(ContenderResult contender, string baseline) =>
        contender.Wall is { } mine && Find(baseline)?.Wall is { Median: > 0 } theirs ? mine.Median / theirs.Median : null;

    /// <summary>(median wall - median raw-bound wall) / steps, in milliseconds: what each step costs over the raw bound.</summary>
    public double? OverheadPerStepMs(ContenderResult contender) =>
        contender.Wall is { } mine && Find(RawBaseline)?.Wall is { } raw && Steps > 0 ? (mine.Median - raw.Median) * 1000 / Steps : null;
}
