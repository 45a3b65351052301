using System.Runtime.InteropServices;

namespace Orchest.Runners.Process;

/// <summary>
/// Signals a whole process group. Steps start as session leaders (through <c>setsid</c>), so their
/// pid is their group id and everything they spawn can be stopped together.
/// </summary>
internal static partial class ProcessGroup
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to every process in group <paramref name="groupId"/>; false when none is left.</summary>
    public static bool Signal(int groupId, int signal) => OperatingSystem.IsWindows() || Kill(-groupId, signal) == 0;

    /// <summary>True while any process of the group is alive (signal 0 probes without sending).</summary>
    public static bool IsAlive(int groupId) => !OperatingSystem.IsWindows() && Kill(-groupId, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
