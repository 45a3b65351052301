using Orchest.Engine.Runs;

namespace Orchest.Engine.Ports;

/// <summary>
/// The served read model of runs (Table storage): what the API shows, written from the progress of each
/// run's orchestration, which alone decides the run's state. Hosts also record here when they begin
/// executing a step, which is how a running step shows STARTED before its orchestration hears of it.
/// </summary>
public interface IRunProjection
{
    /// <summary>
    /// Writes a new run's rows as planned (PENDING) and lists it under its project, unless its
    /// orchestration's first progress got there first (then nothing is written).
    /// </summary>
    Task CreateAsync(RunSnapshot run, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Applies one progress of a run's orchestration. Idempotent.</summary>
    Task ApplyAsync(RunProgress progress, CancellationToken cancellationToken = default);

    /// <summary>The run with its steps; a step a host began and the orchestration has not heard of shows STARTED.</summary>
    Task<RunSnapshot?> GetAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>The run's record alone (status, times, job), without its steps: one small read. Null when the run is unknown.</summary>
    Task<RunRecord?> GetRecordAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>One page of a project's runs, newest first, optionally filtered.</summary>
    Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>A run's events with a sequence above <paramref name="after"/> (-1: all), in order.</summary>
    Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, long after = -1, CancellationToken cancellationToken = default);

    /// <summary>Whether the steps of a run must stop: it ended, or a cancel was asked for. Null when the run is unknown.</summary>
    Task<bool?> IsStoppingAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Marks a run's cancel as asked for, so hosts stop its steps before its orchestration has decided.</summary>
    Task RequestCancelAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that a host begins executing a dispatched step attempt, and returns the attempt number it
    /// runs as: the dispatched one, or the next free one when executions of it already began (they were
    /// lost with their host, and their output sets must not be shared), with the hosts they began on.
    /// </summary>
    Task<BegunAttempt> BeginAttemptAsync(string runId, string stepUuid, int dispatchedAttempt, string host, DateTimeOffset started, CancellationToken cancellationToken = default);
}
