namespace Orchest.Chaos.Trials;

/// <summary>
/// What the kill of a trial did: which host died when (wall clock, and seconds into the workload), the
/// step processes that died with it, and the host that replaced it (if the plan restarts one) once healthy.
/// </summary>
public sealed record HostKill(string Victim, DateTimeOffset Time, double AtSeconds, IReadOnlyList<KilledStep> Steps)
{
    public string? Replacement { get; init; }

    public double? ReplacementHealthySeconds { get; init; }
}
