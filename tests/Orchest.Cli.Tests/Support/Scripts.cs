namespace Orchest.Cli.Tests.Support;

/// <summary>Bash step sources that coordinate through flag files in the project folder.</summary>
internal static class Scripts
{
    /// <summary>Waits (up to 30 s) until <paramref name="flag"/> exists in the project, then echoes; fails when it never appears.</summary>
    public static string WaitFor(string flag, string then = "") =>
        $"for i in $(seq 600); do\n  if [ -f \"$ORCHEST_PROJECT_DIR/{flag}\" ]; then\n    echo \"saw {flag}\"\n    {(then.Length == 0 ? ":" : then)}\n    exit 0\n  fi\n  sleep 0.05\ndone\necho \"{flag} never appeared\" >&2\nexit 1\n";

    /// <summary>
    /// Takes an exclusive lock on <paramref name="lockFile"/> in the project (made under another name, renamed once
    /// locked); the kernel releases it only when the step's shell has exited.
    /// </summary>
    public static string HoldUntilExit(string lockFile) =>
        $"exec 9>\"$ORCHEST_PROJECT_DIR/{lockFile}.taking\"\nflock --exclusive 9 || exit 1\nmv \"$ORCHEST_PROJECT_DIR/{lockFile}.taking\" \"$ORCHEST_PROJECT_DIR/{lockFile}\"\n";

    /// <summary>
    /// Waits (up to 30 s) for <paramref name="lockFile"/> (<see cref="HoldUntilExit"/>), blocks until the step holding it
    /// has exited, waits 0.3 s more (the margin for its host to see the exit), then runs <paramref name="then"/>.
    /// </summary>
    public static string AfterExitOf(string lockFile, string then) =>
        WaitFor(lockFile, $"flock --exclusive \"$ORCHEST_PROJECT_DIR/{lockFile}\" true || exit 1\n    sleep 0.3\n    {then}");

    /// <summary>Creates <paramref name="flag"/> in the project and echoes.</summary>
    public static string Touch(string flag) => $"touch \"$ORCHEST_PROJECT_DIR/{flag}\"\necho \"made {flag}\"\n";
}
