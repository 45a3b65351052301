using Azure;
using Azure.Data.Tables;
using Orchest.Engine.Jobs;

namespace Orchest.Storage.Azure.Tables;

/// <summary>A job's ticks and the runs it started.</summary>
public sealed partial class TableJobStore
{
    public async Task<JobTick> ReserveTickAsync(string jobId, JobTick tick, CancellationToken cancellationToken = default)
    {
        var row = JobRows.TickRow(jobId, tick, counted: false);
        try
        {
            await _jobs.AddEntityAsync(row, cancellationToken);
            return tick;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // An earlier execution of this tick chose first.
            var existing = await _jobs.GetEntityAsync<TableEntity>(jobId, row.RowKey, cancellationToken: cancellationToken);
            return StorageErrors.Guard($"read tick {tick.Sequence} of job {jobId}", () => JobRows.ReadTick(existing.Value));
        }
        catch (Exception ex) when (StorageErrors.Translate($"record tick {tick.Sequence} of job {jobId}", ex) is { } translated)
        {
            throw translated;
        }
    }

    public async Task<JobTick?> GetTickAsync(string jobId, long sequence, CancellationToken cancellationToken = default)
    {
        var operation = $"read tick {sequence} of job {jobId}";
        var row = await StorageErrors.GuardAsync(operation, () =>
            _jobs.GetEntityIfExistsAsync<TableEntity>(jobId, JobRows.TickKey(sequence), cancellationToken: cancellationToken));
        return row.HasValue ? StorageErrors.Guard(operation, () => JobRows.ReadTick(row.Value!)) : null;
    }

    public async Task<JobTick?> FindTickAsync(string jobId, string key, CancellationToken cancellationToken = default)
    {
        var operation = $"find tick {key} of job {jobId}";
        return await StorageErrors.GuardAsync(operation, async () =>
        {
            // "key" is JobRows.Key, written literally: an interpolated name would be quoted as a value.
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {jobId} and RowKey gt {JobRows.TickPrefix} and RowKey lt {JobRows.TickUpperBound} and key eq {key}");
            await foreach (var row in _jobs.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken))
            {
                return JobRows.ReadTick(row);
            }

            return null;
        });
    }

    public async Task<IReadOnlyList<JobTick>> ListTicksAsync(string jobId, int count, CancellationToken cancellationToken = default)
    {
        var operation = $"read the history of job {jobId}";
        return await StorageErrors.GuardAsync(operation, async () =>
        {
            var ticks = new List<JobTick>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {jobId} and RowKey gt {JobRows.TickPrefix} and RowKey lt {JobRows.TickUpperBound}");
            await foreach (var row in _jobs.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(1000, count), cancellationToken: cancellationToken))
            {
                ticks.Add(JobRows.ReadTick(row));
                if (ticks.Count == count)
                {
                    break;
                }
            }

            return (IReadOnlyList<JobTick>)ticks;
        });
    }

    public async Task<(IReadOnlyList<JobRunEntry> Runs, string? ContinuationToken)> ListRunsAsync(
        string jobId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var after = ContinuationTokens.Decode(continuationToken, JobRows.RunPrefix) ?? JobRows.RunPrefix;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {jobId} and RowKey gt {after} and RowKey lt {JobRows.RunUpperBound}");
        return await StorageErrors.GuardAsync($"list the runs of job {jobId}", async () =>
        {
            var runs = new List<JobRunEntry>();
            string? last = null;
            var more = false;
            await foreach (var row in _jobs.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(1000, pageSize + 1), cancellationToken: cancellationToken))
            {
                if (runs.Count == pageSize)
                {
                    more = true;
                    break;
                }

                runs.Add(JobRows.ReadRun(row));
                last = row.RowKey;
            }

            return ((IReadOnlyList<JobRunEntry>)runs, more && last is not null ? ContinuationTokens.Encode(last) : null);
        });
    }

    public async Task<IReadOnlyList<JobRunEntry>> AllRunsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {jobId} and RowKey gt {JobRows.RunPrefix} and RowKey lt {JobRows.RunUpperBound}"),
            $"list the runs of job {jobId}", cancellationToken);
        return StorageErrors.Guard($"list the runs of job {jobId}", () => rows.Select(JobRows.ReadRun).ToList());
    }

    public async Task MarkEndedAsync(string jobId, IReadOnlyList<JobRunEntry> runs, CancellationToken cancellationToken = default)
    {
        foreach (var batch in TableBatches.Split(runs, r => JobRows.RunRow(jobId, r), TableBatches.MaxOperations))
        {
            await StorageErrors.GuardAsync($"record ended runs of job {jobId}", () => _jobs.SubmitTransactionAsync(
                batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertMerge, JobRows.RunRow(jobId, r))), cancellationToken));
        }
    }

    public Task RemoveRunAsync(string jobId, JobRunEntry run, CancellationToken cancellationToken = default) =>
        DeleteIfExistsAsync(jobId, JobRows.RunKey(run.Tick, run.Index), cancellationToken);
}
