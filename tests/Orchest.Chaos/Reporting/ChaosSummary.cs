using Orchest.Chaos.Workloads;

namespace Orchest.Chaos.Reporting;

/// <summary>The figures of a chaos session over all its trials (the closing note quotes these).</summary>
public sealed record ChaosSummary(
    int Trials,
    int Passed,
    int Runs,
    IReadOnlyDictionary<string, int> RunStatuses,
    IReadOnlyDictionary<string, int> JobRunStatuses,
    int Kills,
    int KilledStepProcesses,
    int Replacements,
    IReadOnlyDictionary<string, int> Cancels,
    IReadOnlyDictionary<string, int> PushesAtKill,
    IReadOnlyDictionary<string, int> ViolationsByKind,
    Distribution TrialSeconds,
    Distribution FailoverSeconds,
    Distribution RunSeconds,
    int UncommittedOutputSets,
    int SpuriousWorkerLosses,
    IReadOnlyDictionary<string, int> TrialsWithHostWarnings,
    IReadOnlyList<string> FailedTrials)
{
    public int Violations => ViolationsByKind.Values.Sum();

    public static ChaosSummary Of(IReadOnlyList<TrialReport> trials) => new(
        trials.Count,
        trials.Count(t => t.Passed),
        trials.Sum(t => t.Runs.Count),
        Count(trials.SelectMany(t => t.Runs).Select(r => r.Status ?? "unknown")),
        Count(trials.SelectMany(t => t.Runs).Where(r => r.Name == "job").Select(r => r.Status ?? "unknown")),
        trials.Count(t => t.Kill is not null),
        trials.Sum(t => t.Kill?.Steps.Count ?? 0),
        trials.Count(t => t.Kill?.Replacement is not null),
        Count(trials.SelectMany(t => t.Runs).Where(r => r.Cancel is not null).Select(r => r.Cancel!)),
        Count(trials.SelectMany(t => t.Runs).Where(r => r.Shape == WorkloadPlanner.PushAtKillShape).Select(PushAtKill)),
        Count(trials.SelectMany(t => t.Violations).Select(v => v.Kind)),
        Distribution.Of(trials.Select(t => t.Seconds)),
        Distribution.Of(trials.SelectMany(t => t.FailoverSeconds)),
        Distribution.Of(trials.SelectMany(t => t.Runs).Select(r => r.Seconds).OfType<double>()),
        trials.Sum(t => t.UncommittedOutputSets),
        trials.Sum(t => t.SpuriousWorkerLosses),
        Count(trials.SelectMany(t => t.HostWarnings.Keys)),
        [.. trials.Where(t => !t.Passed).Select(t =>
            $"trial {t.Index} (seed {t.Seed}, load {t.LoadAverage:0.0}): {string.Join(", ", t.Violations.Select(v => v.Kind).Distinct())}"
            + $"{(t.HostWarnings.Count == 0 ? "" : $" [host warnings: {string.Join(", ", t.HostWarnings.Keys)}]")}{(t.Evidence is null ? "" : $" — {t.Evidence}")}")]);

    /// <summary>How the push delivered to the host being killed went: its answer, its redelivery's, whether it ran.</summary>
    private static string PushAtKill(RunSummary run) => run.Submission == "202"
        ? "answered before the kill"
        : $"{run.Submission} -> redelivered: {run.Redelivery ?? "not sent"} -> {(run.RunId is null ? "no run" : "ran")}";

    private static SortedDictionary<string, int> Count(IEnumerable<string> keys) =>
        new(keys.GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), StringComparer.Ordinal);
}
