namespace Orchest.Engine.Jobs;

/// <summary>Orchest's wire names for <see cref="JobStatus"/> and the final-state rule.</summary>
public static class JobStatusText
{
    public static string ToWire(this JobStatus status) => status.ToString().ToUpperInvariant();

    public static bool TryParse(string text, out JobStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _);

    public static bool IsFinal(this JobStatus status) => status is JobStatus.Success or JobStatus.Failure or JobStatus.Aborted;
}
