namespace Orchest.Engine.Ports;

/// <summary>A job's environment variable values, kept apart from its definition (sealed at rest, as a run's); each tick copies them into its runs' definitions.</summary>
public interface IJobSecrets
{
    Task WriteAsync(string jobId, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default);

    /// <summary>The job's values; empty when it has none.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadAsync(string jobId, CancellationToken cancellationToken = default);
}
