namespace Orchest.Durable.Jobs;

/// <summary>Starting and signalling job orchestrations, whatever hosts them (instance id <see cref="JobOrchestrator.InstanceId"/>).</summary>
public interface IDurableJobs
{
    /// <summary>
    /// Starts a job's orchestration; does nothing when one with the job's instance id exists. True when none
    /// existed as this call looked (a start racing this one may have made it meanwhile: then still nothing changes).
    /// </summary>
    Task<bool> StartAsync(JobOrchestrationInput input, CancellationToken cancellationToken = default);

    /// <summary>Raises <paramref name="command"/> on the job's orchestration.</summary>
    Task SendAsync(string jobId, JobCommand command, CancellationToken cancellationToken = default);
}
