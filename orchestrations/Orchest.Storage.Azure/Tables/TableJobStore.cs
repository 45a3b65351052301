using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Orchest.Engine.Events;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;

namespace Orchest.Storage.Azure.Tables;

/// <summary>
/// Jobs in Table storage (<see cref="JobRows"/>): one partition per job, so a tick's state, history entry and
/// runs are written in one entity-group transaction, plus a listing partition per project. History keeps
/// the newest <see cref="HistoryLength"/> ticks. With <paramref name="events"/>, every change it records is
/// then published as job events (<see cref="JobTransitionEvents"/>): after the write, and again when the same
/// change is recorded again (a retried activity), under the same ids. A creation or update by a request is
/// marked on the definition row until its events are out (<see cref="JobRows.Unannounced"/>), and so is a status
/// change a request made (<see cref="JobRows.Requested"/>, written in the state's transaction): if the request
/// dies in between, the job's next recorded change publishes them, or <see cref="AnnounceAsync"/> does.
/// </summary>
public sealed partial class TableJobStore(OrchestStorageAccount account, IJobEvents? events = null) : IJobStore
{
    /// <summary>Ticks kept in a job's history (older ones are deleted as new ones come).</summary>
    public const int HistoryLength = 1000;

    /// <summary>Sequences a record of skipped ticks tries when others' ticks took its own (then it replaces the last tried).</summary>
    private const int MaxTickMoves = 100;

    /// <summary>
    /// Writes a job's state row tries while other writers change it (each round one of them wins, so this many
    /// executions of one write at once all get through).
    /// </summary>
    private const int MaxWriteAttempts = 16;

    private readonly TableClient _jobs = account.Jobs;

    public async Task CreateAsync(JobDefinition definition, JobState state, CancellationToken cancellationToken = default)
    {
        var operation = $"create job {definition.Id}";

        // Listed first: a listing row whose job is missing is skipped; a job missing from its listing would be lost.
        await StorageErrors.GuardAsync(operation, () =>
            _jobs.UpsertEntityAsync(JobRows.ProjectRow(definition.ProjectId, definition.Id), TableUpdateMode.Replace, cancellationToken));
        var unannounced = events is null ? null : CreatedMarker(state);
        var written = await StorageErrors.GuardAsync(operation, () => _jobs.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, JobRows.DefinitionRow(definition, unannounced)),
            new TableTransactionAction(TableTransactionActionType.Add, JobRows.StateRow(definition.Id, state)),
        ], cancellationToken));
        if (unannounced is not null)
        {
            await PublishAsync(JobTransitionEvents.OfCreated(definition, state), cancellationToken);
            await MarkAnnouncedAsync(definition, written.Value[0].Headers.ETag, cancellationToken);
        }
    }

    public async Task<JobSnapshot?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var (definition, state) = await ReadJobRowsAsync(jobId, cancellationToken);
        return definition is null || state is null
            ? null
            : StorageErrors.Guard($"read job {jobId}", () => new JobSnapshot(JobRows.ReadDefinition(definition), JobRows.ReadState(state))
            {
                UnannouncedSince = JobRows.IsMarked(definition) ? definition.Timestamp : null,
            });
    }

    public async Task<IReadOnlyList<JobSnapshot>> ListAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var listed = await QueryAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {JobRows.ProjectPrefix + projectId}"), $"list the jobs of project {projectId}", cancellationToken);
        var jobs = await Task.WhenAll(listed.Select(row => GetAsync(row.RowKey, cancellationToken)));
        return jobs.OfType<JobSnapshot>().OrderByDescending(j => j.Definition.Created).ThenBy(j => j.Definition.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<JobDefinition> UpdateAsync(JobDefinition definition, CancellationToken cancellationToken = default)
    {
        JobDefinition updated;
        ETag? written;
        TableEntity? earlierRow = null;
        try
        {
            // Changes still unannounced (their requests died) stay marked beside this update until they are out.
            earlierRow = events is null ? null : await ReadDefinitionRowAsync(definition.Id, cancellationToken);
            var earlier = earlierRow?.GetString(JobRows.Unannounced);
            var unannounced = events is null ? null : string.IsNullOrEmpty(earlier) ? UpdatedMarker : earlier + ";" + UpdatedMarker;
            var response = await _jobs.UpdateEntityAsync(
                JobRows.DefinitionRow(definition, unannounced, earlierRow?.GetString(JobRows.Requested)), new ETag(definition.ETag), TableUpdateMode.Replace, cancellationToken);
            written = response.Headers.ETag;
            updated = definition with { ETag = written?.ToString() ?? "" };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            throw new JobChangedException(definition.Id);
        }
        catch (Exception ex) when (StorageErrors.Translate($"update job {definition.Id}", ex) is { } translated)
        {
            throw translated;
        }

        if (events is not null && await GetAsync(definition.Id, cancellationToken) is { } current)
        {
            var status = current.State.Status;
            var earlierEvents = earlierRow is null ? [] : PendingEvents(updated, earlierRow, status);
            await PublishAsync([.. earlierEvents, JobTransitionEvents.OfUpdated(updated, status)], cancellationToken);
            if (await MarkAnnouncedAsync(updated, written, cancellationToken) is { } announced)
            {
                updated = updated with { ETag = announced.ToString() };
            }
        }

        return updated;
    }

    public async Task<bool> ApplyAsync(JobProgress progress, IReadOnlyList<JobRunEntry>? runs = null, CancellationToken cancellationToken = default)
    {
        var id = progress.JobId;
        var operation = $"record the progress of job {id}";
        var runRows = (runs ?? []).Select(r => JobRows.RunRow(id, r)).ToList();
        var written = false;
        var moves = 0;
        for (var attempt = 1; ; attempt++)
        {
            // The state replaces only a state of the same or an earlier write of the orchestration (by the row's
            // version, so a write in between is seen): a late execution of an older write keeps the newer state.
            // Its tick, runs and events are still recorded (the same again, or what only it had), and a tick not
            // counted yet goes into the counters either way (in the state row's transaction: counted once).
            // The state row is read before the tick's row, never at once: a writer that counts the tick after the
            // state was read changes the state's ETag, so this write fails and compares again. Read the other way
            // round, the tick could be read uncounted and the state already counting it (counted twice).
            var stored = await StorageErrors.GuardAsync(operation, () =>
                _jobs.GetEntityIfExistsAsync<TableEntity>(id, JobRows.StateKey, cancellationToken: cancellationToken));
            var storedState = stored.HasValue ? StorageErrors.Guard($"read job {id}", () => JobRows.ReadState(stored.Value!)) : null;
            var uncounted = default(JobTick);
            if (progress.Tick is { } tick)
            {
                var (taken, counted) = await ReadTickRowAsync(id, tick, operation, cancellationToken);
                if (taken && tick.RunIds.Count == 0 && ++moves < MaxTickMoves)
                {
                    // A record of skipped ticks is not reserved before (it starts nothing): when another tick took its
                    // sequence meanwhile (a push's), it takes the next one instead of replacing that tick's entry.
                    progress = progress with { Tick = tick with { Sequence = tick.Sequence + 1 } };
                    attempt--;
                    continue;
                }

                uncounted = counted ? null : tick;
            }

            var newer = storedState is not null && storedState.Record > progress.State.Record;
            var state = newer ? (uncounted is null ? null : storedState!) : progress.State;
            var actions = new List<TableTransactionAction>();
            if (state is not null)
            {
                // The state row goes in the first batch, and the tick with it: with a tick of more than 98 runs, the
                // history may show the tick before all its runs are listed, never the reverse.
                var stateRow = JobRows.StateRow(id, JobRows.WithCounters(state, storedState, uncounted));
                actions.Add(stored.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, stateRow, stored.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, stateRow));
            }

            if (progress.Tick is { } tickToRecord)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, JobRows.TickRow(id, tickToRecord, counted: true)));
            }

            actions.AddRange(runRows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)));
            try
            {
                foreach (var batch in TableBatches.Split(actions, a => (TableEntity)a.Entity, TableBatches.MaxOperations))
                {
                    await _jobs.SubmitTransactionAsync(batch, cancellationToken);
                }

                written = !newer;
                break;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 409 && attempt < MaxWriteAttempts)
            {
                // Another execution wrote the state since it was read: compare again.
            }
            catch (Exception ex) when (StorageErrors.Translate(operation, ex) is { } translated)
            {
                throw translated;
            }
        }

        if (progress.Tick is { Sequence: > HistoryLength } recorded)
        {
            await DeleteIfExistsAsync(id, JobRows.TickKey(recorded.Sequence - HistoryLength), cancellationToken);
        }

        if (events is not null && (progress.IsTransition || progress.Tick is not null) && await ReadDefinitionRowAsync(id, cancellationToken) is { } row)
        {
            var definition = StorageErrors.Guard($"read job {id}", () => JobRows.ReadDefinition(row));
            if (JobRows.IsMarked(row))
            {
                // A request that changed the job died before it published that: now, before what followed.
                await PublishAsync(PendingEvents(definition, row, progress.PreviousStatus), cancellationToken);
                await MarkAnnouncedAsync(definition, row.ETag, cancellationToken);
            }

            await PublishAsync(JobTransitionEvents.Of(definition, progress), cancellationToken);
        }

        return written;
    }

    public async Task ApplyRequestedAsync(JobProgress progress, CancellationToken cancellationToken = default)
    {
        var id = progress.JobId;
        for (var attempt = 1; ; attempt++)
        {
            var (row, stored) = events is null ? (null, null) : await ReadJobRowsAsync(id, cancellationToken);
            if (row is null)
            {
                // Nothing to publish to (or no job to mark): the state alone.
                await ApplyAsync(progress, cancellationToken: cancellationToken);
                return;
            }

            var definition = StorageErrors.Guard($"read job {id}", () => JobRows.ReadDefinition(row));

            // A change marked earlier (its request died) is published first; this one's mark then takes its place.
            var earlier = JobRows.IsMarked(row) ? PendingEvents(definition, row, progress.PreviousStatus) : [];
            var mark = new TableEntity(id, JobRows.DefinitionKey) { [JobRows.Requested] = RecordJson.Serialize(progress) };
            ETag? marked;
            try
            {
                // The counters stay the store's (a tick recorded since the request read the job is not undone).
                var storedState = stored is null ? null : StorageErrors.Guard($"read job {id}", () => JobRows.ReadState(stored));
                var state = JobRows.StateRow(id, JobRows.WithCounters(progress.State, storedState, tick: null));
                var written = await _jobs.SubmitTransactionAsync(
                [
                    stored is null
                        ? new TableTransactionAction(TableTransactionActionType.UpsertReplace, state)
                        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, stored.ETag),
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, mark, row.ETag),
                ], cancellationToken);
                marked = written.Value[1].Headers.ETag;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 && attempt < MaxWriteAttempts)
            {
                // The definition (an update) or the state (a tick) changed since they were read: read them again.
                continue;
            }
            catch (Exception ex) when (StorageErrors.Translate($"record the progress of job {id}", ex) is { } translated)
            {
                throw translated;
            }

            await PublishAsync([.. earlier, .. JobTransitionEvents.Of(definition, progress)], cancellationToken);
            await MarkAnnouncedAsync(definition, marked, cancellationToken);
            return;
        }
    }

    public async Task<bool> AnnounceAsync(string jobId, CancellationToken cancellationToken = default)
    {
        if (events is null || await ReadJobRowsAsync(jobId, cancellationToken) is not ({ } row, { } stateRow) || !JobRows.IsMarked(row))
        {
            return false;
        }

        var (definition, state) = StorageErrors.Guard($"read job {jobId}", () => (JobRows.ReadDefinition(row), JobRows.ReadState(stateRow)));
        await PublishAsync(PendingEvents(definition, row, state.Status), cancellationToken);
        await MarkAnnouncedAsync(definition, row.ETag, cancellationToken);
        return true;
    }

    /// <summary>The events of the changes marked on a definition row, in order: creation and updates, then a requested status change.</summary>
    /// <param name="definition">The definition the row holds.</param>
    /// <param name="row">The definition row.</param>
    /// <param name="status">The job's status for an update's event (when it was made, as far as known).</param>
    private static List<JobEvent> PendingEvents(JobDefinition definition, TableEntity row, JobStatus status)
    {
        var pending = new List<JobEvent>();
        if (row.GetString(JobRows.Unannounced) is { Length: > 0 } unannounced)
        {
            pending.AddRange(Announcement(definition, unannounced, status));
        }

        if (row.GetString(JobRows.Requested) is { Length: > 0 } requested)
        {
            var progress = StorageErrors.Guard($"read job {definition.Id}", () => RecordJson.Deserialize<JobProgress>(requested));
            pending.AddRange(JobTransitionEvents.Of(definition, progress));
        }

        return pending;
    }

    private const string UpdatedMarker = "updated";

    /// <summary>"created &lt;status&gt; &lt;time&gt;": the created events need the state the job was created in.</summary>
    private static string CreatedMarker(JobState state) =>
        FormattableString.Invariant($"created {state.Status.ToWire()} {state.Updated:O}");

    /// <summary>The events of the changes a mark names, in order ("created ...;updated": both).</summary>
    private static List<JobEvent> Announcement(JobDefinition definition, string unannounced, JobStatus status)
    {
        var announced = new List<JobEvent>();
        foreach (var change in unannounced.Split(';', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal))
        {
            if (change.Split(' ') is ["created", var created, var at] && JobStatusText.TryParse(created, out var createdStatus)
                && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
            {
                announced.AddRange(JobTransitionEvents.OfCreated(definition, new JobState { Status = createdStatus, Updated = time }));
            }
            else if (change == UpdatedMarker)
            {
                announced.Add(JobTransitionEvents.OfUpdated(definition, status));
            }
        }

        return announced;
    }

    /// <summary>
    /// Removes the definition row's unannounced mark, unless the row changed since <paramref name="etag"/> (a
    /// later change has its own mark and its own publisher). Returns the row's new ETag, or null when it changed.
    /// </summary>
    private async Task<ETag?> MarkAnnouncedAsync(JobDefinition definition, ETag? etag, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _jobs.UpdateEntityAsync(JobRows.DefinitionRow(definition), etag ?? ETag.All, TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
        catch (Exception ex) when (StorageErrors.Translate($"record that the events of job {definition.Id} were published", ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Whether the row of <paramref name="tick"/>'s sequence is another tick's, and whether it is in the counters already.</summary>
    private async Task<(bool Taken, bool Counted)> ReadTickRowAsync(string jobId, JobTick tick, string operation, CancellationToken cancellationToken)
    {
        var row = await StorageErrors.GuardAsync(operation, () =>
            _jobs.GetEntityIfExistsAsync<TableEntity>(jobId, JobRows.TickKey(tick.Sequence), [JobRows.Key, JobRows.Counted], cancellationToken));
        return row.HasValue
            ? (row.Value!.GetString(JobRows.Key) != tick.Key, JobRows.IsCounted(row.Value))
            : (false, false);
    }

    /// <summary>A job's definition and state rows, in one query (either null when missing).</summary>
    private async Task<(TableEntity? Definition, TableEntity? State)> ReadJobRowsAsync(string jobId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {jobId} and (RowKey eq {JobRows.DefinitionKey} or RowKey eq {JobRows.StateKey})"),
            $"read job {jobId}", cancellationToken);
        return (rows.FirstOrDefault(r => r.RowKey == JobRows.DefinitionKey), rows.FirstOrDefault(r => r.RowKey == JobRows.StateKey));
    }

    private async Task<TableEntity?> ReadDefinitionRowAsync(string jobId, CancellationToken cancellationToken)
    {
        var row = await StorageErrors.GuardAsync($"read job {jobId}", () =>
            _jobs.GetEntityIfExistsAsync<TableEntity>(jobId, JobRows.DefinitionKey, cancellationToken: cancellationToken));
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Publishes after the change is written; a failure propagates so the caller (an activity) records the change, and publishes, again.</summary>
    private async Task PublishAsync(IReadOnlyList<JobEvent> jobEvents, CancellationToken cancellationToken)
    {
        if (events is null)
        {
            return;
        }

        foreach (var jobEvent in jobEvents)
        {
            await events.PublishAsync(jobEvent, cancellationToken);
        }
    }

    public Task UnlistAsync(string projectId, string jobId, CancellationToken cancellationToken = default) =>
        DeleteIfExistsAsync(JobRows.ProjectPrefix + projectId, jobId, cancellationToken);

    private async Task<List<TableEntity>> QueryAsync(string filter, string operation, CancellationToken cancellationToken, IEnumerable<string>? select = null) =>
        await StorageErrors.GuardAsync(operation, async () =>
        {
            var rows = new List<TableEntity>();
            await foreach (var row in _jobs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: select, cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }

            return rows;
        });

    private Task DeleteIfExistsAsync(string partition, string row, CancellationToken cancellationToken) =>
        StorageErrors.GuardAsync($"delete {row} of job {partition}", async () =>
        {
            try
            {
                await _jobs.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Already gone.
            }
        });
}
