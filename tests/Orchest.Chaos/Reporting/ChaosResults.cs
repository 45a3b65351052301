namespace Orchest.Chaos.Reporting;

/// <summary>The results file: the options, when the session started, its summary so far and every trial's report.</summary>
public sealed record ChaosResults(ChaosOptions Options, DateTimeOffset Started, ChaosSummary Summary, IReadOnlyList<TrialReport> Trials);
