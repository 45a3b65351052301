namespace Orchest.Durable.Jobs;

/// <summary>A job's runs by how they stand (what a one-off job's status rolls up from).</summary>
public sealed record JobRunCounts(int Active, int Succeeded, int Failed, int Aborted)
{
    public int Total => Active + Succeeded + Failed + Aborted;
}
