namespace Orchest.Engine.Runs;

/// <summary>Orchest's wire names for <see cref="ExecutionStatus"/> and the terminal-state rule.</summary>
public static class ExecutionStatusText
{
    public static string ToWire(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.Pending => "PENDING",
        ExecutionStatus.Started => "STARTED",
        ExecutionStatus.Success => "SUCCESS",
        ExecutionStatus.Failure => "FAILURE",
        ExecutionStatus.Aborted => "ABORTED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string text, out ExecutionStatus status)
    {
        foreach (var candidate in Enum.GetValues<ExecutionStatus>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    public static bool IsTerminal(this ExecutionStatus status) =>
        status is ExecutionStatus.Success or ExecutionStatus.Failure or ExecutionStatus.Aborted;
}
