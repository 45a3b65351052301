using System.Globalization;
using System.Text;

namespace Orchest.Runners.Process;

/// <summary>Reads the process table from Linux's /proc (empty elsewhere).</summary>
internal static class ProcDirectory
{
    /// <summary>This process's pid namespace (a step's processes in another one are in its sandbox).</summary>
    public static string? OwnPidNamespace { get; } = ReadPidNamespace("self");

    public static bool Exists { get; } = OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>Linux's USER_HZ: the unit of start times in /proc (100 on every architecture .NET runs on).</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>Index of starttime among the fields after comm (state is 0).</summary>
    private const int StartTimeField = 19;

    /// <summary>
    /// Every process we can see, live or not yet reaped, that started at or after
    /// <paramref name="startedSince"/> (clock ticks since boot, see <see cref="TicksSinceBoot"/>). A
    /// step's processes all start after its first one, so a step looks only at those: the other
    /// processes of the machine (hundreds) cost one small read each, never an environment or namespace read,
    /// and none at all outside <paramref name="window"/> when one is given.
    /// </summary>
    public static List<ProcessEntry> Snapshot(long startedSince = 0, PidWindow? window = null)
    {
        var entries = new List<ProcessEntry>();
        if (!Exists)
        {
            return entries;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir.AsSpan());
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && window?.Contains(pid) != false
                && ReadStat(pid) is { } entry && entry.StartTime >= startedSince)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>
    /// Now, in the unit of a process's start time in /proc (clock ticks since boot, 100 a second on
    /// Linux), rounded down and one tick early: a process started after this call never reads earlier.
    /// </summary>
    public static long TicksSinceBoot()
    {
        if (!Exists)
        {
            return 0;
        }

        try
        {
            var uptime = File.ReadAllText("/proc/uptime");
            var seconds = decimal.Parse(uptime.AsSpan(0, uptime.IndexOf(' ')), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            return Math.Max(0, (long)(seconds * ClockTicksPerSecond) - 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return 0; // then every process is looked at, as before
        }
    }

    /// <summary>The pid namespace a process is in (a link like <c>pid:[4026531836]</c>); null when it is gone or not ours to read.</summary>
    public static string? ReadPidNamespace(int pid) => ReadPidNamespace(pid.ToString(CultureInfo.InvariantCulture));

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

    /// <summary>One process's entry; null when it is gone (or not ours to read).</summary>
    public static ProcessEntry? ReadStat(int pid)
    {
        Span<byte> buffer = stackalloc byte[1024];
        int length;
        try
        {
            using var handle = File.OpenHandle($"/proc/{pid}/stat");
            length = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return ParseStat(pid, buffer[..length]);
    }

    /// <summary>
    /// Parses "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime
    /// stime cutime cstime priority nice threads itrealvalue starttime ...": comm may hold spaces and
    /// parentheses, so fields are counted from the last ')'.
    /// </summary>
    internal static ProcessEntry? ParseStat(int pid, ReadOnlySpan<byte> stat)
    {
        var close = stat.LastIndexOf((byte)')');
        if (close < 0)
        {
            return null;
        }

        var rest = stat[(close + 1)..];
        Span<long> numbers = stackalloc long[StartTimeField + 1];
        char state = '?';
        var field = -1;
        while (field < StartTimeField)
        {
            rest = rest.TrimStart((byte)' ');
            if (rest.IsEmpty)
            {
                return null;
            }

            var end = rest.IndexOfAny((byte)' ', (byte)'\n');
            var token = end < 0 ? rest : rest[..end];
            field++;
            if (field == 0)
            {
                state = (char)token[0];
            }
            else if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out numbers[field]))
            {
                return null;
            }

            rest = end < 0 ? [] : rest[end..];
        }

        return new ProcessEntry(pid, (int)numbers[1], (int)numbers[2], (int)numbers[3], state, numbers[StartTimeField]);
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
