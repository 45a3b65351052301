namespace Orchest.Runners.Docker;

/// <summary>This process's uid:gid (Linux), for containers that run as the caller instead of the image's user.</summary>
internal static class HostUser
{
    public static string? Current()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return null;
        }

        string? uid = null;
        string? gid = null;
        foreach (var line in File.ReadLines(status))
        {
            // "Uid:\t<real>\t<effective>\t..." — the effective id is what files are created with.
            var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 2 && fields[0] == "Uid:")
            {
                uid = fields[2];
            }
            else if (fields.Length > 2 && fields[0] == "Gid:")
            {
                gid = fields[2];
            }
        }

        return uid is null || gid is null ? null : $"{uid}:{gid}";
    }
}
