namespace Orchest.Chaos.Reporting;

/// <summary>
/// The results file: the revision of the repository that ran (a seed plans the same trial only with the
/// same planner), the options, when the session started, its summary so far and every trial's report.
/// </summary>
public sealed record ChaosResults(string Revision, ChaosOptions Options, DateTimeOffset Started, ChaosSummary Summary, IReadOnlyList<TrialReport> Trials);
