using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Engine.Events;

/// <summary>
/// A run's public events read back from its projection (what <c>GET /api/runs/{id}/events</c> and the event
/// stream return): the same documents the webhooks got, built from the event rows and the run.
/// </summary>
public sealed class RunEventReader(IRunProjection projection, FailedStepSummaries failures)
{
    /// <summary>The run's events after sequence <paramref name="after"/> (-1: all); null when the run does not exist.</summary>
    public async Task<IReadOnlyList<OrchestEvent>?> ReadAsync(string runId, long after = -1, CancellationToken cancellationToken = default)
    {
        // Events first: the run read after them is at least as new (a progress writes its events before the run row).
        var events = await projection.GetEventsAsync(runId, after, cancellationToken);
        var run = await projection.GetAsync(runId, cancellationToken);
        return run is null ? null : await ToPublicAsync(run, events, cancellationToken);
    }

    /// <summary>
    /// Public documents of <paramref name="events"/> of <paramref name="run"/> (read no earlier than the
    /// events); a run-failed event reads the failed steps' log tails.
    /// </summary>
    public async Task<IReadOnlyList<OrchestEvent>> ToPublicAsync(RunSnapshot run, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken = default)
    {
        var failed = events.Any(e => e.Type == RunEventTypes.RunFailed) ? await failures.ReadAsync(run, cancellationToken) : null;
        return events
            .Select(e => OrchestEvent.FromRun(e, run.Run, e.StepUuid is null ? null : run.FindStep(e.StepUuid)?.Title, failed))
            .ToList();
    }
}
