using Orchest.Engine.Jobs;

namespace Orchest.Engine.Ports;

/// <summary>
/// Jobs as stored (Table storage in served mode): each job's definition (written by the API), its state and
/// history (written by its orchestration) and the runs it started. <see cref="ApplyAsync"/> is the one place
/// a job's state changes after creation.
/// </summary>
public interface IJobStore
{
    /// <summary>Stores a new job and lists it under its project.</summary>
    Task CreateAsync(JobDefinition definition, JobState state, CancellationToken cancellationToken = default);

    Task<JobSnapshot?> GetAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>The jobs of a project, newest first.</summary>
    Task<IReadOnlyList<JobSnapshot>> ListAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Replaces a definition read before (its <see cref="JobDefinition.ETag"/>); returns it with its new ETag.</summary>
    /// <exception cref="JobChangedException">The definition changed since it was read.</exception>
    Task<JobDefinition> UpdateAsync(JobDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records what the job's orchestration decided: its state, and the tick and the runs it started when it
    /// is a tick, in one transaction. Idempotent (an activity may run twice). Every status change of a job
    /// after its creation goes through here. The state is kept only when no later write of the orchestration
    /// is stored (<see cref="JobState.Record"/>): an activity's late execution cannot take the job back; its
    /// tick, runs and events are recorded all the same. The counters (<see cref="JobState.Ticks"/>, runs,
    /// skipped ticks) are the store's, not the writer's: a tick is added to them once, when it is first recorded,
    /// whoever records it, so a push's tick and the orchestration's writes cannot undo each other's. Returns
    /// whether the state was written.
    /// </summary>
    Task<bool> ApplyAsync(JobProgress progress, IReadOnlyList<JobRunEntry>? runs = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a status change a request made, not an orchestration (a draft confirmed or cancelled, a job with
    /// no orchestration ended): nothing retries a request whose host died, so the change is marked on the job,
    /// in the same transaction, until its events are published (<see cref="JobSnapshot.UnannouncedSince"/>).
    /// It keeps the stored counters, as <see cref="ApplyAsync"/> does.
    /// </summary>
    Task ApplyRequestedAsync(JobProgress progress, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes the job events of the changes still marked on the job (requests that died before publishing
    /// them) and clears the mark; returns whether there were any. Publishing again what was published adds nothing.
    /// </summary>
    Task<bool> AnnounceAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tick with <paramref name="tick"/>'s sequence as first recorded: recorded now when there is none yet.
    /// A tick's commit is chosen once, whichever execution of the tick gets here first.
    /// </summary>
    Task<JobTick> ReserveTickAsync(string jobId, JobTick tick, CancellationToken cancellationToken = default);

    /// <summary>One tick of the job's history; null when there is none (or it left the history).</summary>
    Task<JobTick?> GetTickAsync(string jobId, long sequence, CancellationToken cancellationToken = default);

    /// <summary>The newest tick of the job's history with <paramref name="key"/>; null when there is none (or it left the history).</summary>
    Task<JobTick?> FindTickAsync(string jobId, string key, CancellationToken cancellationToken = default);

    /// <summary>The job's latest ticks, newest first.</summary>
    Task<IReadOnlyList<JobTick>> ListTicksAsync(string jobId, int count, CancellationToken cancellationToken = default);

    /// <summary>One page of the job's runs, newest first (continuation token: null on the last page).</summary>
    Task<(IReadOnlyList<JobRunEntry> Runs, string? ContinuationToken)> ListRunsAsync(
        string jobId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>Every run the job kept, newest first.</summary>
    Task<IReadOnlyList<JobRunEntry>> AllRunsAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Remembers how these runs ended (their <see cref="JobRunEntry.Final"/>), so later passes need not read them.</summary>
    Task MarkEndedAsync(string jobId, IReadOnlyList<JobRunEntry> runs, CancellationToken cancellationToken = default);

    /// <summary>Takes the job out of its project's listing (a job declared in the repository whose file was deleted); it stays readable by id.</summary>
    Task UnlistAsync(string projectId, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Forgets a run (retention deleted it).</summary>
    Task RemoveRunAsync(string jobId, JobRunEntry run, CancellationToken cancellationToken = default);
}
