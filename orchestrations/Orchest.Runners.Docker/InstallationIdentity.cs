using System.Globalization;

namespace Orchest.Runners.Docker;

/// <summary>
/// Who a step container belongs to, so cleanup touches only our own: the installation (one served
/// deployment, or one user's CLI on one machine) and the host process that created it.
/// </summary>
public static class InstallationIdentity
{
    /// <summary>The environment variable that names the installation (test sessions use one of their own).</summary>
    public const string Variable = "ORCHEST_INSTANCE";

    /// <summary><c>ORCHEST_INSTANCE</c> when set, else <c>&lt;user&gt;@&lt;machine&gt;</c> (what <c>infra/local/podman-service.sh</c> computes as well).</summary>
    public static string Default =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? configured
            : $"{Environment.UserName}@{Environment.MachineName}";

    /// <summary>This process: <c>&lt;machine&gt;/&lt;pid&gt;/&lt;start time&gt;</c> (the start time tells a reused pid apart).</summary>
    public static string CurrentHost { get; } = Host(Environment.ProcessId, StartTime(Environment.ProcessId) ?? "0");

    /// <summary>True when <paramref name="host"/> names a process that still runs on this machine (false for other machines).</summary>
    public static bool IsLiveHostHere(string host)
    {
        var parts = host.Split('/');
        return parts.Length == 3
               && parts[0] == Environment.MachineName
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
               && StartTime(pid) == parts[2];
    }

    private static string Host(int pid, string startTime) => $"{Environment.MachineName}/{pid.ToString(CultureInfo.InvariantCulture)}/{startTime}";

    /// <summary>The process's start time in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22); null when it does not run.</summary>
    private static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
