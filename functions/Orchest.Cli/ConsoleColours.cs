namespace Orchest.Cli;

/// <summary>
/// Whether output gets colours: only on a terminal, never with <c>NO_COLOR</c> set to anything but
/// empty (no-color.org) or with <c>TERM=dumb</c>. Piped output and files stay plain text.
/// </summary>
internal static class ConsoleColours
{
    /// <summary>For a writer of this process: colours when it is the console's stdout and that is a terminal.</summary>
    public static bool For(TextWriter writer) =>
        Allowed(ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected,
            Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("TERM"));

    public static bool Allowed(bool terminal, string? noColor, string? term) =>
        terminal && string.IsNullOrEmpty(noColor) && !string.Equals(term, "dumb", StringComparison.Ordinal);
}
