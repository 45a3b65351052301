using System.Globalization;
using System.Text;
using Orchest.Chaos.Checks;

namespace Orchest.Chaos.Reporting;

/// <summary>Reports as people read them: a line (or a few) per trial, a block for the summary.</summary>
public static class ReportText
{
    private const int HostDiedLinesShown = 8;

    public static string Trial(TrialReport trial)
    {
        var text = new StringBuilder();
        var statuses = string.Join(" ", trial.Runs.GroupBy(r => r.Status ?? "unknown").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        var kill = trial.Kill is { } k
            ? Invariant($"killed {k.Victim} at {k.AtSeconds:0.0} s with {k.Steps.Count} steps{(k.Replacement is null ? "" : $", replaced by {k.Replacement} at {k.ReplacementHealthySeconds:0.0} s")}")
            : "no kill";
        var failover = trial.FailoverSeconds.Count == 0 ? "" : Invariant($", failover {trial.FailoverSeconds.Min():0.0}-{trial.FailoverSeconds.Max():0.0} s");
        var ended = trial.RunsEndedAfterSeconds is { } e ? Invariant($"all ended at {e:0.0} s") : "NOT all ended";
        var ticks = trial.Runs.Count(r => r.Name == "job");
        text.Append(Invariant($"trial {trial.Index} (seed {trial.Seed}, {trial.Hosts} hosts): {(trial.Passed ? "ok" : "VIOLATIONS")} — {trial.Runs.Count} runs ({statuses}; {ticks} of the cron job), "))
            .Append(Invariant($"{kill}{failover}, {ended}, {trial.Violations.Count} violations, {trial.Seconds:0} s (load {trial.LoadAverage:0.0})"));
        if (trial.HostWarnings.Count > 0)
        {
            text.Append("\n  host warnings: ").Append(string.Join(", ", trial.HostWarnings.Select(w => Invariant($"{w.Key} {w.Value}"))));
        }

        foreach (var violation in trial.Violations)
        {
            // A host that died by itself says how in its last lines: CI shows only these lines.
            var lines = violation.Detail.Split('\n');
            var detail = violation.Kind == ViolationKinds.HostDied
                ? string.Join("\n    ", lines.Take(1).Concat(lines.Skip(1).TakeLast(HostDiedLinesShown)))
                : lines[0];
            text.Append(Invariant($"\n  {violation.Kind} {violation.RunId ?? "-"}: {detail}"));
        }

        // A trial with violations says what became of each host: a host that died by itself, or one that
        // logged errors, explains most of them; CI shows only these lines.
        if (!trial.Passed)
        {
            foreach (var host in trial.HostStates)
            {
                text.Append("\n  host ").Append(host);
            }
        }

        if (trial.Evidence is { } evidence)
        {
            text.Append("\n  evidence: ").Append(evidence);
        }

        return text.ToString();
    }

    public static string Summary(ChaosSummary summary, string resultsPath)
    {
        string Pairs(IReadOnlyDictionary<string, int> counts) => counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));
        string Seconds(Distribution d) => d.Count == 0 ? "n/a" : Invariant($"min {d.Min:0.0}, median {d.Median:0.0}, mean {d.Mean:0.0}, p90 {d.P90:0.0}, max {d.Max:0.0} s (n={d.Count})");

        var text = new StringBuilder()
            .AppendLine(Invariant($"chaos summary: {summary.Trials} trials, {summary.Passed} without violations"))
            .AppendLine(Invariant($"  runs: {summary.Runs} ({Pairs(summary.RunStatuses)}); of them the cron jobs' ticks: {summary.JobRunStatuses.Values.Sum()} ({Pairs(summary.JobRunStatuses)})"))
            .AppendLine(Invariant($"  kills: {summary.Kills} (step processes killed with their host: {summary.KilledStepProcesses}; hosts replaced: {summary.Replacements})"))
            .AppendLine(Invariant($"  cancels: {Pairs(summary.Cancels)}"))
            .AppendLine(Invariant($"  pushes delivered to the host being killed: {Pairs(summary.PushesAtKill)}"))
            .AppendLine(Invariant($"  violations: {summary.Violations} ({Pairs(summary.ViolationsByKind)})"))
            .AppendLine(Invariant($"  time per trial: {Seconds(summary.TrialSeconds)}"))
            .AppendLine(Invariant($"  failover (kill -> a killed step's next attempt starts): {Seconds(summary.FailoverSeconds)}"))
            .AppendLine(Invariant($"  run duration (created -> ended): {Seconds(summary.RunSeconds)}"))
            .AppendLine(Invariant($"  uncommitted output sets left behind (not a violation): {summary.UncommittedOutputSets}"))
            .AppendLine(Invariant($"  live hosts' step executions taken for lost and run again (not a violation): {summary.SpuriousWorkerLosses}"))
            .AppendLine(Invariant($"  trials whose hosts logged warnings of late messages: {Pairs(summary.TrialsWithHostWarnings)}"));
        foreach (var failed in summary.FailedTrials)
        {
            text.AppendLine("  " + failed);
        }

        return text.Append("  results: ").Append(resultsPath).ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
