namespace Orchest.Chaos.Reporting;

/// <summary>
/// Durable Task warnings in the hosts' logs that explain most violations: counted per trial, so a
/// violation can be read against them (a split brain forks a run's decisions; a discarded event is lost).
/// </summary>
public static class HostDiagnostics
{
    private static readonly (string Name, string[] Markers)[] Warnings =
    [
        ("split-brain", ["Split brain detected"]),
        ("pop-receipt-mismatch", ["PopReceiptMismatch"]),
        ("event-discarded-no-instance", ["Discarding", "No such instance"]),
        ("duplicate-message", ["Received a duplicate message"]),
    ];

    /// <summary>How many log lines of each warning the hosts wrote (only warnings that occurred).</summary>
    public static IReadOnlyDictionary<string, int> Count(IEnumerable<string> outputs)
    {
        var lines = outputs.SelectMany(o => o.Split('\n')).ToList();
        return Warnings
            .Select(w => (w.Name, Count: lines.Count(line => w.Markers.All(m => line.Contains(m, StringComparison.Ordinal)))))
            .Where(w => w.Count > 0)
            .ToDictionary(w => w.Name, w => w.Count, StringComparer.Ordinal);
    }
}
