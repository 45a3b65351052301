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
/// change is recorded again (a retried activity), under the same ids.
/// </summary>
public sealed partial class TableJobStore(OrchestStorageAccount account, IJobEvents? events = null) : IJobStore
{
    /// <summary>Ticks kept in a job's history (older ones are deleted as new ones come).</summary>
    public const int HistoryLength = 1000;

    private readonly TableClient _jobs = account.Jobs;

    public async Task CreateAsync(JobDefinition definition, JobState state, CancellationToken cancellationToken = default)
    {
        var operation = $"create job {definition.Id}";

        // Listed first: a listing row whose job is missing is skipped; a job missing from its listing would be lost.
        await StorageErrors.GuardAsync(operation, () =>
            _jobs.UpsertEntityAsync(JobRows.ProjectRow(definition.ProjectId, definition.Id), TableUpdateMode.Replace, cancellationToken));
        await StorageErrors.GuardAsync(operation, () => _jobs.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, JobRows.DefinitionRow(definition)),
            new TableTransactionAction(TableTransactionActionType.Add, JobRows.StateRow(definition.Id, state)),
        ], cancellationToken));
        await PublishAsync(JobTransitionEvents.OfCreated(definition, state), cancellationToken);
    }

    public async Task<JobSnapshot?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {jobId} and (RowKey eq {JobRows.DefinitionKey} or RowKey eq {JobRows.StateKey})"),
            $"read job {jobId}", cancellationToken);
        var definition = rows.FirstOrDefault(r => r.RowKey == JobRows.DefinitionKey);
        var state = rows.FirstOrDefault(r => r.RowKey == JobRows.StateKey);
        return definition is null || state is null
            ? null
            : StorageErrors.Guard($"read job {jobId}", () => new JobSnapshot(JobRows.ReadDefinition(definition), JobRows.ReadState(state)));
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
        try
        {
            var response = await _jobs.UpdateEntityAsync(JobRows.DefinitionRow(definition), new ETag(definition.ETag), TableUpdateMode.Replace, cancellationToken);
            updated = definition with { ETag = response.Headers.ETag?.ToString() ?? "" };
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
            await PublishAsync([JobTransitionEvents.OfUpdated(updated, current.State.Status)], cancellationToken);
        }

        return updated;
    }

    public async Task ApplyAsync(JobProgress progress, IReadOnlyList<JobRunEntry>? runs = null, CancellationToken cancellationToken = default)
    {
        var id = progress.JobId;
        var rows = new List<TableEntity> { JobRows.StateRow(id, progress.State) };
        if (progress.Tick is { } tick)
        {
            rows.Add(JobRows.TickRow(id, tick));
        }

        rows.AddRange((runs ?? []).Select(r => JobRows.RunRow(id, r)));

        // The state row goes in the first batch: with a tick of more than 99 runs, the history may show the
        // tick before all its runs are listed, never the reverse.
        foreach (var batch in TableBatches.Split(rows, r => r, TableBatches.MaxOperations))
        {
            await StorageErrors.GuardAsync($"record the progress of job {id}", () => _jobs.SubmitTransactionAsync(
                batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken));
        }

        if (progress.Tick is { Sequence: > HistoryLength } recorded)
        {
            await DeleteIfExistsAsync(id, JobRows.TickKey(recorded.Sequence - HistoryLength), cancellationToken);
        }

        if (events is not null && (progress.IsTransition || progress.Tick is not null) && await ReadDefinitionAsync(id, cancellationToken) is { } definition)
        {
            await PublishAsync(JobTransitionEvents.Of(definition, progress), cancellationToken);
        }
    }

    private async Task<JobDefinition?> ReadDefinitionAsync(string jobId, CancellationToken cancellationToken)
    {
        var row = await StorageErrors.GuardAsync($"read job {jobId}", () =>
            _jobs.GetEntityIfExistsAsync<TableEntity>(jobId, JobRows.DefinitionKey, cancellationToken: cancellationToken));
        return row.HasValue ? StorageErrors.Guard($"read job {jobId}", () => JobRows.ReadDefinition(row.Value!)) : null;
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
