namespace Orchest.Testing;

/// <summary>Looks for live processes by a marker in their command line (Linux /proc).</summary>
public static class ProcessTable
{
    public static IReadOnlyList<int> FindByMarker(string marker)
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
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var state = File.ReadAllLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal)) ?? "";
                if (cmdline.Contains(marker, StringComparison.Ordinal) && !state.Contains('Z', StringComparison.Ordinal))
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
}
