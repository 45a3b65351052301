namespace Orchest.Durable.Jobs;

/// <summary>A job's runs by how they stand (what a one-off job's status rolls up from).</summary>
public sealed record JobRunCounts(int Active, int Succeeded, int Failed, int Aborted)
{
    /// <summary>The job counted (a job's call tells its own result from another call's by it).</summary>
    public string? JobId { get; init; }

    public int Total => Active + Succeeded + Failed + Aborted;
}
