namespace Orchest.Cli;

/// <summary>
/// A titled block of <c>--help</c>. A line with a tab is a row of two columns (aligned like the
/// options); any other line is a paragraph, indented and wrapped.
/// </summary>
internal sealed record HelpSection(string Title, IReadOnlyList<string> Lines)
{
    public static HelpSection Examples(params string[] lines) => new("Examples", lines);

    public static HelpSection ExitCodes(params string[] rows) => new("Exit codes", rows);

    /// <summary>What every command that prints reads from the environment.</summary>
    public static HelpSection Environment(params string[] rows) =>
        new("Environment", ["NO_COLOR\tset (to anything but empty) for output without colours; colours are used only on a terminal", .. rows]);
}
