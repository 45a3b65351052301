namespace Orchest.Engine.Scheduling;

/// <summary>How an execution of a step ended, as reported by the worker that ran it.</summary>
public sealed record StepOutcome(StepOutcomeKind Kind, int? ExitCode, string? Message, string? OutputSet)
{
    public static StepOutcome Succeeded(string outputSet) => new(StepOutcomeKind.Succeeded, 0, null, outputSet);

    public static StepOutcome Failed(int? exitCode, string message) => new(StepOutcomeKind.Failed, exitCode, message, null);

    public static StepOutcome Stopped(string message) => new(StepOutcomeKind.Stopped, null, message, null);
}
