using Orchest.Engine.Runs;

namespace Orchest.Engine.Ports;

/// <summary>Run definitions of served runs (a blob each, environment values encrypted): written once, read by every host running the run's steps.</summary>
public interface IRunDefinitions
{
    Task WriteAsync(RunDefinition definition, CancellationToken cancellationToken = default);

    Task<RunDefinition?> ReadAsync(string runId, CancellationToken cancellationToken = default);
}
