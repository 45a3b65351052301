using System.Globalization;

namespace Orchest.Benchmarks.Measuring;

/// <summary>CPU time the kernel charged to a process: its own threads', and its children's that it has waited for (and theirs, recursively).</summary>
public readonly record struct CpuTimes(TimeSpan Own, TimeSpan Children)
{
    public static CpuTimes operator -(CpuTimes after, CpuTimes before) => new(after.Own - before.Own, after.Children - before.Children);

    public static CpuTimes operator +(CpuTimes a, CpuTimes b) => new(a.Own + b.Own, a.Children + b.Children);
}

/// <summary>Processes' CPU time and listening sockets, read from Linux's <c>/proc</c>; null or empty where there is none.</summary>
public static class ProcessCpu
{
    private const string Listen = "0A";

    private static readonly Lazy<double> TicksPerSecond = new(ReadTicksPerSecond);

    /// <summary><paramref name="pid"/>'s CPU times (fields utime, stime, cutime, cstime of <c>/proc/[pid]/stat</c>); null when it is gone or unreadable.</summary>
    public static CpuTimes? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(stat);
    }

    /// <summary>
    /// The times of a <c>/proc/[pid]/stat</c> line. The command name (field 2) is in parentheses and may hold spaces and
    /// parentheses itself, so fields are counted from the last ')': state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    /// </summary>
    private static CpuTimes? Parse(string stat)
    {
        var end = stat.LastIndexOf(')');
        var fields = end < 0 ? [] : stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 15
            || !long.TryParse(fields[11], CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], CultureInfo.InvariantCulture, out var system)
            || !long.TryParse(fields[13], CultureInfo.InvariantCulture, out var childrenUser)
            || !long.TryParse(fields[14], CultureInfo.InvariantCulture, out var childrenSystem))
        {
            return null;
        }

        return new CpuTimes(Ticks(user + system), Ticks(childrenUser + childrenSystem));
    }

    /// <summary>The processes holding a listening TCP socket on any of <paramref name="ports"/> (those this user may inspect).</summary>
    public static IReadOnlyList<int> Listening(IReadOnlyCollection<int> ports)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            try
            {
                inodes.UnionWith(ListeningInodes(File.ReadLines(table).Skip(1), ports));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No such table (no IPv6): the other one answers.
            }
        }

        if (inodes.Count == 0)
        {
            return [];
        }

        var pids = new List<int>();
        foreach (var directory in SafeEnumerate("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            foreach (var descriptor in SafeEnumerate(Path.Combine(directory, "fd")))
            {
                var target = SafeLinkTarget(descriptor);
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                {
                    pids.Add(pid);
                    break;
                }
            }
        }

        return pids;
    }

    /// <summary>The socket inodes of the listening entries of a <c>/proc/net/tcp</c> table (header line skipped) on <paramref name="ports"/>.</summary>
    private static IEnumerable<string> ListeningInodes(IEnumerable<string> lines, IReadOnlyCollection<int> ports)
    {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
        foreach (var line in lines)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != Listen)
            {
                continue;
            }

            var colon = fields[1].LastIndexOf(':');
            if (colon >= 0 && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port) && ports.Contains(port))
            {
                yield return fields[9];
            }
        }
    }

    private static TimeSpan Ticks(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond.Value);

    /// <summary>The kernel's clock ticks per second for /proc times (USER_HZ: <c>getconf CLK_TCK</c>; 100 on every usual Linux).</summary>
    private static double ReadTicksPerSecond()
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
            var text = getconf?.StandardOutput.ReadToEnd().Trim();
            getconf?.WaitForExit();
            return double.TryParse(text, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException)
        {
            return 100;
        }
    }

    private static IEnumerable<string> SafeEnumerate(string directory)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(directory).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? SafeLinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
