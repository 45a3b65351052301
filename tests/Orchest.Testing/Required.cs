namespace Orchest.Testing;

/// <summary>
/// For tests that drive real tools. Outside CI a missing tool skips a test with the reason; under
/// <c>CI=true</c> nothing is skipped: the test runs and fails with what is missing.
/// </summary>
public static class Required
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first of <paramref name="commands"/> not on the PATH, or null.</summary>
    public static string? MissingCommand(params string[] commands) =>
        commands.FirstOrDefault(c => !(Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, c))));
}
