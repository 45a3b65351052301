namespace Orchest.Chaos.Workloads;

/// <summary>Everything a trial does, decided up front from its seed: the same seed plans the same trial.</summary>
public sealed record TrialPlan(int Index, int Seed, int Hosts, IReadOnlyList<PlannedRun> Runs, KillPlan Kill);
