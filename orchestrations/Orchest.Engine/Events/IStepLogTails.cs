namespace Orchest.Engine.Events;

/// <summary>The end of a step's log (what a run-failed event shows of each failed step).</summary>
public interface IStepLogTails
{
    /// <summary>At most the last <paramref name="maxBytes"/> bytes of the step's log as text; null when it has none.</summary>
    Task<string?> ReadTailAsync(string runId, string stepUuid, int maxBytes, CancellationToken cancellationToken = default);
}
