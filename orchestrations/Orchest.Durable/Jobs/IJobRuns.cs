namespace Orchest.Durable.Jobs;

/// <summary>
/// What a job's activities do with runs on the host: needs git (the ref, the pipeline at a commit) and the
/// run creation of the served API, so the host implements it (<c>orchest serve</c>, the Functions app).
/// </summary>
public interface IJobRuns
{
    /// <summary>
    /// Starts one tick's runs with ids from (job, tick key, index) and records the tick and the job's state.
    /// Idempotent: the commit is chosen once per tick, and runs that exist are not started again.
    /// Also applies the job's retention (ended runs beyond <c>max_retained_pipeline_runs</c> are deleted).
    /// </summary>
    Task<JobTickResult> StartTickAsync(JobTickInput input, CancellationToken cancellationToken = default);

    /// <summary>The job's retained runs by status.</summary>
    Task<JobRunCounts> CountAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Asks every unfinished run of the job to stop; returns how many were asked.</summary>
    Task<int> CancelAsync(string jobId, string reason, CancellationToken cancellationToken = default);
}
