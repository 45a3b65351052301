namespace Orchest.Engine.Execution;

/// <summary>No run with this id exists (HTTP 404, CLI exit 2).</summary>
public sealed class RunNotFoundException(string runId) : Exception($"Run {runId} does not exist.")
{
    public string RunId { get; } = runId;
}
