namespace Orchest.Engine.Ports;

/// <summary>How a step's process or container ended.</summary>
/// <param name="ExitCode">The exit code (128 + signal when killed by a signal; 127 when the interpreter is missing).</param>
/// <param name="Message">A one-line explanation when the runner knows more than the exit code (never a secret).</param>
/// <param name="Stopped">True when the runner stopped the step because it was asked to.</param>
public sealed record StepExit(int ExitCode, string? Message = null, bool Stopped = false)
{
    public bool Succeeded => ExitCode == 0 && !Stopped;
}
