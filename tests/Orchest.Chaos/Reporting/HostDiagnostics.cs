namespace Orchest.Chaos.Reporting;

/// <summary>
/// Durable Task warnings in the hosts' logs that explain most violations, and the engine's own warnings of what it
/// did about a killed host's late messages: counted per trial, so a violation can be read against them (a split
/// brain forks a run's decisions; a discarded event is lost) and the summary says how often each case came up.
/// </summary>
public static class HostDiagnostics
{
    private static readonly (string Name, string[] Markers)[] Warnings =
    [
        ("split-brain", ["Split brain detected"]),
        ("pop-receipt-mismatch", ["PopReceiptMismatch"]),
        ("event-discarded-no-instance", ["Discarding", "No such instance"]),
        ("duplicate-message", ["Received a duplicate message"]),

        // The engine's own: what it did about a killed host's late messages (host logs 3111, 3113, 3114, 3156).
        ("projection-repaired", ["applied before came from another execution"]),
        ("retry-timer-early", ["its wait ended", "early"]),
        ("result-of-another-call", ["another call's result"]),
        ("job-result-of-another-call", ["not its own (another call's"]),

        // A job activity's late execution kept out of the job's state (host logs 3158, 2059), and a session the
        // provider left active after a failed fetch, released (3205).
        ("job-late-write-kept-out", ["came after a later write of its orchestration"]),
        ("left-session-released", ["its session was left active by a failed fetch"]),
    ];

    private const int ErrorLineLength = 300;

    /// <summary>
    /// The host's error lines (the console logger's "fail:" and "crit:" levels, and an unhandled exception),
    /// each with the line after it (the logger writes the message on the next line), cut to a readable length.
    /// </summary>
    public static IReadOnlyList<string> Errors(string output)
    {
        var lines = output.Split('\n');
        var errors = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal)
                || line.StartsWith("fail: ", StringComparison.Ordinal) || line.StartsWith("crit: ", StringComparison.Ordinal)
                || line.Contains("Unhandled exception", StringComparison.Ordinal))
            {
                var text = (line.Trim() + (i + 1 < lines.Length ? " " + lines[i + 1].Trim() : "")).ReplaceLineEndings(" ");
                errors.Add(text.Length > ErrorLineLength ? text[..ErrorLineLength] + "..." : text);
            }
        }

        return errors;
    }

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
