namespace Orchest.Engine.Ports;

/// <summary>Deletes an ended run for good: its records, definition, logs and notebooks, and output sets no step still points to as its latest.</summary>
public interface IRunDeletion
{
    Task DeleteAsync(string runId, CancellationToken cancellationToken = default);
}
