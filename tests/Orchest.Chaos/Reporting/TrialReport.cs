using Orchest.Chaos.Checks;
using Orchest.Chaos.Trials;

namespace Orchest.Chaos.Reporting;

/// <summary>One trial's result: its seed (to run it again), its runs, the kill, failover times and violations.</summary>
public sealed record TrialReport(int Index, int Seed, int Hosts, string Prefix)
{
    public double Seconds { get; init; }

    /// <summary>The machine's 1-minute load average when the trial started (2 cores: above ~4, everything is slow, failover too).</summary>
    public double? LoadAverage { get; init; }

    /// <summary>From the workload's start until every run had ended (null when some never did).</summary>
    public double? RunsEndedAfterSeconds { get; init; }

    public IReadOnlyList<RunSummary> Runs { get; init; } = [];

    public HostKill? Kill { get; init; }

    public IReadOnlyList<double> FailoverSeconds { get; init; } = [];

    /// <summary>Output sets left behind uncommitted (attempts that died, or ended after their run): garbage, not a violation.</summary>
    public int UncommittedOutputSets { get; init; }

    public IReadOnlyList<Violation> Violations { get; init; } = [];

    /// <summary>Executions of live hosts' steps taken for lost and run again (see <see cref="KillChecks.SpuriousLosses"/>).</summary>
    public int SpuriousWorkerLosses { get; init; }

    /// <summary>Durable Task's and the engine's warnings in the hosts' logs (see <see cref="HostDiagnostics"/>).</summary>
    public IReadOnlyDictionary<string, int> HostWarnings { get; init; } = new Dictionary<string, int>();

    /// <summary>Each host as the trial ended: killed, up or exited by itself, with the first error its log shows.</summary>
    public IReadOnlyList<string> HostStates { get; init; } = [];

    /// <summary>Where the trial's evidence was written (only when it has violations).</summary>
    public string? Evidence { get; init; }

    public bool Passed => Violations.Count == 0;
}
