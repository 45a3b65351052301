namespace Orchest.Cli.Tests.Support;

/// <summary>Bash step sources that coordinate through flag files in the project folder.</summary>
internal static class Scripts
{
    /// <summary>Waits (up to 30 s) until <paramref name="flag"/> exists in the project, then echoes; fails when it never appears.</summary>
    public static string WaitFor(string flag, string then = "") =>
        $"for i in $(seq 600); do\n  if [ -f \"$ORCHEST_PROJECT_DIR/{flag}\" ]; then\n    echo \"saw {flag}\"\n    {(then.Length == 0 ? ":" : then)}\n    exit 0\n  fi\n  sleep 0.05\ndone\necho \"{flag} never appeared\" >&2\nexit 1\n";

    /// <summary>Creates <paramref name="flag"/> in the project and echoes.</summary>
    public static string Touch(string flag) => $"touch \"$ORCHEST_PROJECT_DIR/{flag}\"\necho \"made {flag}\"\n";
}
