using System.Text.Json.Serialization;

namespace Orchest.Durable.Jobs;

/// <summary>
/// A job's runs by how they stand (what a one-off job's status rolls up from). Every count is required, so another
/// call's result (a tick's, say) cannot be read as counts of no runs.
/// </summary>
public sealed record JobRunCounts(
    [property: JsonRequired] int Active, [property: JsonRequired] int Succeeded, [property: JsonRequired] int Failed, [property: JsonRequired] int Aborted)
{
    /// <summary>The job counted (a job's call tells its own result from another call's by it); null from hosts before it was named.</summary>
    public string? JobId { get; init; }

    public int Total => Active + Succeeded + Failed + Aborted;

    /// <summary>Whether these are <paramref name="jobId"/>'s counts (any count of that job will do: they only go forward).</summary>
    public bool IsOf(string jobId) => JobId is null || JobId == jobId;
}
