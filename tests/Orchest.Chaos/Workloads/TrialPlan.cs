namespace Orchest.Chaos.Workloads;

/// <summary>Everything a trial does, decided up front from its seed: the same seed plans the same trial.</summary>
public sealed record TrialPlan(int Index, int Seed, int Hosts, IReadOnlyList<PlannedRun> Runs, KillPlan Kill)
{
    /// <summary>When the last planned action (a submission, a cancel, the kill or the restart) happens.</summary>
    public TimeSpan LastAction => new[]
    {
        Runs.Max(r => r.SubmitAt + (r.CancelAfter ?? TimeSpan.Zero)),
        Kill.At + (Kill.RestartAfter ?? TimeSpan.Zero),
    }.Max();
}
