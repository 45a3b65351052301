namespace Orchest.Engine.Ports;

/// <summary>Where the output of a run's services is kept when they stop (beside the run's step logs).</summary>
public interface IServiceLogs
{
    /// <summary>Keeps (replaces) the whole log of service <paramref name="service"/> of run <paramref name="runId"/>.</summary>
    Task WriteAsync(string runId, string service, IReadOnlyList<string> lines, CancellationToken cancellationToken = default);
}
