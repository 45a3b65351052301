using System.Globalization;

namespace Orchest.Runners.Process;

/// <summary>
/// The pids handed out from <see cref="First"/> to <see cref="Last"/>: the kernel gives pids in
/// increasing order and wraps at pid_max, so every process started since a step's first one has a pid
/// in this (circular) range, as long as the pids have not gone a whole lap since. Looking only at these
/// spares a step's end from reading the stat of every other process of the machine.
/// </summary>
internal readonly record struct PidWindow(int First, int Last)
{
    /// <summary>
    /// How long after a step's first process its window surely holds every later pid: a lap needs more
    /// than half of pid_max new processes (unless over half of all pids are in use, when the machine is
    /// out of pids anyway), and no machine starts more than a million processes a second. 16 ms at
    /// the kernel's default pid_max of 32768, 2 s at the 4194304 systemd sets; later, the whole table is read.
    /// </summary>
    public static TimeSpan Trusted { get; } = TimeSpan.FromSeconds(PidMax() / 2.0 / 1_000_000);

    public bool Contains(int pid) => First <= Last ? pid >= First && pid <= Last : pid >= First || pid <= Last;

    /// <summary>The window from <paramref name="first"/> to the last pid handed out now; null when /proc/loadavg cannot tell.</summary>
    public static PidWindow? Since(int first)
    {
        try
        {
            // "0.11 1.42 2.21 1/97 28363": the last field is the last pid handed out (in our pid namespace).
            var loadavg = File.ReadAllText("/proc/loadavg").AsSpan().TrimEnd();
            return int.TryParse(loadavg[(loadavg.LastIndexOf(' ') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                ? new PidWindow(first, last)
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int PidMax()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return 32768;
        }
    }
}
