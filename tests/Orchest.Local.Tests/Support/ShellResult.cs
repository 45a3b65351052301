namespace Orchest.Local.Tests.Support;

/// <summary>What a shell command printed and returned.</summary>
internal sealed record ShellResult(int ExitCode, string Output, string Error)
{
    /// <summary>Shown by xunit when an assertion about the result fails.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
