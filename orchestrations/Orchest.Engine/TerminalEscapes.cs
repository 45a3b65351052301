using System.Text.RegularExpressions;

namespace Orchest.Engine;

/// <summary>
/// Removes terminal escape sequences from step output. Log files are read in editors, pagers and
/// terminals that do not render them, and a colour a step chose for its own terminal means nothing
/// in a file.
/// </summary>
public static partial class TerminalEscapes
{
    /// <summary>The line without CSI (colours, cursor moves) and OSC (titles, links) sequences.</summary>
    public static string Strip(string line) =>
        line.Contains('\u001b', StringComparison.Ordinal) ? Sequences().Replace(line, "") : line;

    [GeneratedRegex(@"\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)")]
    private static partial Regex Sequences();
}
