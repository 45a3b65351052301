namespace Orchest.Runners.Process;

/// <summary>
/// Every process one step started, wherever it went: found in the process table, never by name.
/// A process belongs to the step when it is the step's first process, carries the step's marker
/// variable (inherited across <c>setsid</c>, double forks and daemonising), is in the step's session
/// or process group, lives in the step's pid namespace (the bubblewrap sandbox: no process can leave
/// it, even one that clears its environment), or is a child of any of these. Each of these started
/// after the step's first process, so only processes started since <paramref name="startedSince"/>
/// (<see cref="ProcDirectory.TicksSinceBoot"/> taken before the first process was spawned) are looked at,
/// and while the pids since the first one can be trusted (<see cref="PidWindow.Trusted"/> after
/// <paramref name="spawning"/>, the <see cref="System.Diagnostics.Stopwatch"/> timestamp taken with it), only those.
/// </summary>
internal sealed class StepProcesses(int rootPid, string markerVariable, bool sandboxed, long startedSince, long spawning)
{
    /// <summary>Longest wait between two looks at the process table while processes die.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    /// <summary>How long KILLed processes may take to die before we give up waiting on them.</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>Whether a pid carried the marker: an environment is fixed at exec, and scans repeat every few ms while stopping.</summary>
    private readonly Dictionary<int, bool> _marked = [];

    /// <summary>Each candidate's pid namespace, read once (a process cannot change its own).</summary>
    private readonly Dictionary<int, string?> _namespaces = [];

    /// <summary>The step runs in a bubblewrap sandbox (its own pid namespace).</summary>
    public bool Sandboxed => sandboxed;

    /// <summary>The live processes of the step now.</summary>
    public IReadOnlyList<ProcessEntry> Find()
    {
        var window = System.Diagnostics.Stopwatch.GetElapsedTime(spawning) < PidWindow.Trusted ? PidWindow.Since(rootPid) : null;
        var table = ProcDirectory.Snapshot(startedSince, window);
        var self = Environment.ProcessId;
        var members = new Dictionary<int, ProcessEntry>();
        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in table)
        {
            if (entry.Pid == self || entry.IsDead)
            {
                continue;
            }

            if (entry.Pid == rootPid || entry.SessionId == rootPid || entry.GroupId == rootPid || IsMarked(entry.Pid))
            {
                members[entry.Pid] = entry;
                if (PidNamespace(entry.Pid) is { } ns && ns != ProcDirectory.OwnPidNamespace)
                {
                    namespaces.Add(ns);
                }
            }
        }

        // Children of members, and everything in a member's own namespace, until nothing is added.
        for (var added = true; added;)
        {
            added = false;
            foreach (var entry in table)
            {
                if (entry.Pid == self || entry.IsDead || members.ContainsKey(entry.Pid))
                {
                    continue;
                }

                if (members.ContainsKey(entry.ParentPid) || (namespaces.Count > 0 && PidNamespace(entry.Pid) is { } ns && namespaces.Contains(ns)))
                {
                    members[entry.Pid] = entry;
                    added = true;
                }
            }
        }

        return members.Values.ToList();
    }

    private string? PidNamespace(int pid)
    {
        if (!_namespaces.TryGetValue(pid, out var ns))
        {
            ns = _namespaces[pid] = ProcDirectory.ReadPidNamespace(pid);
        }

        return ns;
    }

    private bool IsMarked(int pid)
    {
        if (!_marked.TryGetValue(pid, out var marked))
        {
            marked = _marked[pid] = ProcDirectory.HasVariable(pid, markerVariable);
        }

        return marked;
    }

    /// <summary>
    /// Stops every process of the step: TERM (to all of them: a daemon or a session leader of its own
    /// would not get a group signal), KILL after <paramref name="grace"/>; returns once none is left
    /// (or KILLed ones still had not died after a few seconds, e.g. stuck in the kernel).
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        var termed = new HashSet<int>();

        // Processes that are already dying (a sandbox torn down with its main process) are gone within
        // a millisecond or two: look again soon, then less often.
        var wait = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            var members = Find();
            if (members.Count == 0)
            {
                return;
            }

            foreach (var member in members)
            {
                // Bubblewrap's outer process stays: its exit (with --die-with-parent) would kill the
                // sandbox at once, before the step's processes had their grace period.
                if ((!sandboxed || member.Pid != rootPid) && termed.Add(member.Pid))
                {
                    Signals.Send(member.Pid, Signals.SigTerm);
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(wait);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, Poll.Ticks));
        }

        var giveUp = DateTime.UtcNow + KillWait;
        while (Find() is { Count: > 0 } left && DateTime.UtcNow < giveUp)
        {
            foreach (var member in left)
            {
                Signals.Send(member.Pid, Signals.SigKill);
            }

            await Task.Delay(Poll);
        }
    }
}
