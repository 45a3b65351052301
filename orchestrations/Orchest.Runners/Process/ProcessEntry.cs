namespace Orchest.Runners.Process;

/// <summary>
/// One process as /proc shows it: its family (parent, group, session), its pid namespace and when it
/// started (clock ticks since boot).
/// </summary>
internal sealed record ProcessEntry(int Pid, int ParentPid, int GroupId, int SessionId, char State, string? PidNamespace, long StartTicks = 0)
{
    /// <summary>Dead but not yet reaped (or being reaped): holds no pipe, needs no signal.</summary>
    public bool IsDead => State is 'Z' or 'X' or 'x';
}
