using System.Globalization;
using System.Text;

namespace Orchest.Runners.Process;

/// <summary>Reads the process table from Linux's /proc (empty elsewhere).</summary>
internal static class ProcDirectory
{
    /// <summary>This process's pid namespace (a step's processes in another one are in its sandbox).</summary>
    public static string? OwnPidNamespace { get; } = ReadPidNamespace("self");

    public static bool Exists { get; } = OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>Every process we can see, live or not yet reaped.</summary>
    public static List<ProcessEntry> Snapshot()
    {
        var entries = new List<ProcessEntry>();
        if (!Exists)
        {
            return entries;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || ReadStat(pid) is not { } entry)
            {
                continue;
            }

            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>When process <paramref name="pid"/> started (clock ticks since boot); null when it is gone.</summary>
    public static long? StartTicks(int pid) => ReadStat(pid)?.StartTicks;

    /// <summary>True when the process was started with <paramref name="variable"/> (<c>NAME=value</c>) in its environment.</summary>
    public static bool HasVariable(int pid, string variable)
    {
        try
        {
            var environ = File.ReadAllBytes($"/proc/{pid}/environ");
            var wanted = Encoding.UTF8.GetBytes(variable);
            var span = environ.AsSpan();
            while (span.Length > 0)
            {
                var end = span.IndexOf((byte)0);
                var entry = end < 0 ? span : span[..end];
                if (entry.SequenceEqual(wanted))
                {
                    return true;
                }

                span = end < 0 ? [] : span[(end + 1)..];
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone, or not ours to read (then it is not a step of ours either).
        }

        return false;
    }

    private static ProcessEntry? ReadStat(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20)
        {
            return null;
        }

        return new ProcessEntry(
            pid,
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[2], CultureInfo.InvariantCulture),
            int.Parse(fields[3], CultureInfo.InvariantCulture),
            fields[0][0],
            ReadPidNamespace(pid.ToString(CultureInfo.InvariantCulture)),
            long.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    private static string? ReadPidNamespace(string pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
