using System.Globalization;

namespace Orchest.Testing;

/// <summary>Looks for live processes by a marker in their command line or environment (Linux /proc).</summary>
public static class ProcessTable
{
    public static IReadOnlyList<int> FindByMarker(string marker) =>
        [.. LiveProcesses().Where(dir => Read(dir, "cmdline").Replace('\0', ' ').Contains(marker, StringComparison.Ordinal)).Select(Pid)];

    /// <summary>The pids of live processes started with <paramref name="assignment"/> (<c>NAME=value</c>) in their environment.</summary>
    public static IReadOnlyList<int> FindByEnvironment(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        return [.. FindByEnvironment(assignment[..equals], assignment[(equals + 1)..]).Select(p => p.Pid)];
    }

    /// <summary>
    /// Live processes whose environment holds <paramref name="variable"/>=<paramref name="value"/>, with
    /// their whole environment and process group. A step process inherits what its run sets, so this
    /// finds steps that change their command line (or whose command line says nothing of their run).
    /// </summary>
    public static IReadOnlyList<ProcessEntry> FindByEnvironment(string variable, string value)
    {
        var wanted = variable + "=" + value;
        var found = new List<ProcessEntry>();
        foreach (var dir in LiveProcesses())
        {
            var environment = Read(dir, "environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            if (!environment.Contains(wanted, StringComparer.Ordinal) || ProcessGroup(dir) is not { } group)
            {
                continue;
            }

            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in environment)
            {
                var equals = entry.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    variables[entry[..equals]] = entry[(equals + 1)..];
                }
            }

            found.Add(new ProcessEntry(Pid(dir), group, variables));
        }

        return found;
    }

    /// <summary>Waits until no process carries the marker; returns the survivors if some remain.</summary>
    public static async Task<IReadOnlyList<int>> WaitGoneAsync(string marker, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<int> alive;
        while ((alive = FindByMarker(marker)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return alive;
    }

    private static int Pid(string dir) => int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);

    /// <summary>/proc folders of processes that are not zombies (a zombie's work is done; only its parent's wait is missing).</summary>
    private static IEnumerable<string> LiveProcesses() =>
        Directory.EnumerateDirectories("/proc")
            .Where(dir => int.TryParse(Path.GetFileName(dir), out _))
            .Where(dir => Read(dir, "stat") is { Length: > 0 } stat && State(stat) is not ('Z' or 'X'));

    /// <summary>The state letter of /proc/&lt;pid&gt;/stat, after the command name in parentheses (which may hold anything).</summary>
    private static char State(string stat) => stat.LastIndexOf(')') is var close and > 0 && close + 2 < stat.Length ? stat[close + 2] : '?';

    private static int? ProcessGroup(string dir)
    {
        var stat = Read(dir, "stat");
        var fields = stat.LastIndexOf(')') is var close and > 0 ? stat[(close + 2)..].Split(' ') : [];

        // After the name: state, ppid, pgrp.
        return fields.Length > 2 && int.TryParse(fields[2], CultureInfo.InvariantCulture, out var group) ? group : null;
    }

    /// <summary>A /proc file's text, or "" when the process ended meanwhile or is not ours to read.</summary>
    private static string Read(string dir, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, file));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
