using System.Runtime.InteropServices;

namespace Orchest.Runners.Process;

/// <summary>kill(2) for single processes and whole process groups (Linux and other Unixes; a no-op on Windows).</summary>
internal static partial class Signals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/>; false when it is gone.</summary>
    public static bool Send(int pid, int signal) => !OperatingSystem.IsWindows() && pid > 1 && Kill(pid, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to every process in group <paramref name="groupId"/>; false when none is left.</summary>
    public static bool SendGroup(int groupId, int signal) => !OperatingSystem.IsWindows() && groupId > 1 && Kill(-groupId, signal) == 0;

    /// <summary>True while any process of the group is alive (signal 0 probes without sending).</summary>
    public static bool IsGroupAlive(int groupId) => !OperatingSystem.IsWindows() && groupId > 1 && Kill(-groupId, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
