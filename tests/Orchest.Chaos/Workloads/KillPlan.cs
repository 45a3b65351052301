namespace Orchest.Chaos.Workloads;

/// <summary>
/// Which host dies when (from the workload's start), and whether a new host replaces it and when (after
/// the kill). With <see cref="PreferBusy"/> the victim is taken among the hosts running steps at that
/// moment (<see cref="Victim"/> picks one of them), so that most kills cut steps short; otherwise it is
/// host number <see cref="Victim"/>, busy or not (a host may hold only orchestration partitions). With a
/// <see cref="PushLead"/>, the push of the <see cref="RunTrigger.PushAtKill"/> run is delivered to the victim
/// that long before it dies; if it got no answer, it is redelivered (as a person does on GitHub) to a live host
/// <see cref="RedeliverAfter"/> after the kill.
/// </summary>
public sealed record KillPlan(
    int Victim, TimeSpan At, TimeSpan? RestartAfter, bool PreferBusy, TimeSpan? PushLead = null, TimeSpan? RedeliverAfter = null);
