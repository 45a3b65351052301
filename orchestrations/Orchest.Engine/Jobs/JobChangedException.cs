namespace Orchest.Engine.Jobs;

/// <summary>A job's definition changed between reading and writing it (another update won; HTTP 409).</summary>
public sealed class JobChangedException(string jobId)
    : Exception($"Job {jobId} was changed by another request meanwhile; read it again and retry.")
{
    public string JobId { get; } = jobId;
}
