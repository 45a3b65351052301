namespace Orchest.Durable;

/// <summary>
/// Starting and signalling run orchestrations, whatever hosts them: DurableTask.Core's client in
/// <c>orchest serve</c>, the Functions extension's DurableTaskClient in the Azure Functions app.
/// </summary>
public interface IDurableRuns
{
    /// <summary>
    /// Starts the orchestration of a run (instance id = run id). Does nothing when an orchestration with
    /// that id exists, whatever its status: a job tick handled twice names the same runs and must not
    /// restart one.
    /// </summary>
    Task StartAsync(PipelineRunInput input, CancellationToken cancellationToken = default);

    /// <summary>Raises the cancel event on a run's orchestration.</summary>
    Task CancelAsync(string runId, string reason, CancellationToken cancellationToken = default);
}
