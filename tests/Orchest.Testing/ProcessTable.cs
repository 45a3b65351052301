namespace Orchest.Testing;

/// <summary>Looks for live processes by a marker in their command line or a variable in their environment (Linux /proc).</summary>
public static class ProcessTable
{
    public static IReadOnlyList<int> FindByMarker(string marker) =>
        Find(dir => File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Contains(marker, StringComparison.Ordinal));

    /// <summary>Live processes started with <paramref name="variable"/> (<c>NAME=value</c>) in their environment: every process a run's steps started carries <c>ORCHEST_RUN_UUID=&lt;run&gt;</c>.</summary>
    public static IReadOnlyList<int> FindByEnvironment(string variable) =>
        Find(dir => File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(variable, StringComparer.Ordinal));

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

    private static List<int> Find(Func<string, bool> matches)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var state = File.ReadAllLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal)) ?? "";
                if (matches(dir) && !state.Contains('Z', StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return found;
    }
}
