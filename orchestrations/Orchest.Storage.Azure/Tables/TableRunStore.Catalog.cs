using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Storage.Azure.Tables;

public sealed partial class TableRunStore
{
    private const string ActivePartition = "active";

    /// <summary>An active-index entry whose run row is missing this long is a creation that died.</summary>
    private static readonly TimeSpan OrphanAfter = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Newest first from <c>orchestrunindex</c> (PartitionKey = project, RowKey = inverted ticks + run id).
    /// Index rows of ended runs carry the final record; for the others the run row is read, so a
    /// stale index status never shows. The continuation token is the last row key returned.
    /// </summary>
    public async Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        var after = DecodeToken(query.ContinuationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {query.ProjectId} and RowKey gt {after ?? ""}");
        if (query.PipelinePath is { } pipeline)
        {
            filter += $" and {RunRows.Pipeline} eq " + TableClient.CreateQueryFilter($"{pipeline}");
        }

        return await StorageErrors.GuardAsync($"list the runs of project {query.ProjectId}", async () =>
        {
            var runs = new List<RunRecord>();
            string? last = null;
            var more = false;
            await foreach (var row in _account.RunIndex.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(1000, query.PageSize * 2), cancellationToken: cancellationToken))
            {
                if (runs.Count == query.PageSize)
                {
                    more = true;
                    break;
                }

                last = row.RowKey;
                var record = await CurrentRecordAsync(row, cancellationToken);
                if (record is not null && (query.Status is not { } status || record.Status == status))
                {
                    runs.Add(record);
                }
            }

            return new RunPage(runs, more && last is not null ? EncodeToken(last) : null);
        });
    }

    public async Task<IReadOnlyList<string>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        return await StorageErrors.GuardAsync("list the active runs", async () =>
        {
            var active = new List<string>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ActivePartition}");
            await foreach (var entry in _account.ActiveRuns.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var run = await _runs.GetEntityIfExistsAsync<TableEntity>(entry.RowKey, RunRows.RunKey, [RunRows.Status], cancellationToken);
                var status = run.HasValue && ExecutionStatusText.TryParse(run.Value!.GetString(RunRows.Status) ?? "", out var s) ? s : (ExecutionStatus?)null;
                if (status is { } known && !known.IsTerminal())
                {
                    active.Add(entry.RowKey);
                }
                else if (status is not null || entry.Timestamp + OrphanAfter < _clock.GetUtcNow())
                {
                    Logs.ActiveEntryDropped(_logger, entry.RowKey, status?.ToWire() ?? "missing");
                    await DeleteActiveEntryAsync(entry.RowKey, cancellationToken);
                }
            }

            return active;
        });
    }

    public async Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, CancellationToken cancellationToken = default)
    {
        return await StorageErrors.GuardAsync($"read the events of run {runId}", async () =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {runId} and RowKey gt {RunRows.EventPrefix} and RowKey lt {RunRows.EventUpperBound}");
            var events = new List<RunEvent>();
            await foreach (var row in _runs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                events.Add(RunRows.ReadEvent(row));
            }

            return events;
        });
    }

    private async Task<RunRecord?> CurrentRecordAsync(TableEntity indexRow, CancellationToken cancellationToken)
    {
        if (ExecutionStatusText.TryParse(indexRow.GetString(RunRows.Status) ?? "", out var indexed) && indexed.IsTerminal())
        {
            return RecordJson.Deserialize<RunRecord>(RowColumns.ReadDocument(indexRow));
        }

        var runId = indexRow.RowKey[(indexRow.RowKey.IndexOf('~', StringComparison.Ordinal) + 1)..];
        var run = await _runs.GetEntityIfExistsAsync<TableEntity>(runId, RunRows.RunKey, cancellationToken: cancellationToken);
        return run.HasValue ? RunRows.ReadRun(run.Value!) : null;
    }

    /// <summary>After the commit that ended a run: out of the active index, final record into the run index (best effort).</summary>
    private async Task RecordRunEndedAsync(RunRecord run)
    {
        try
        {
            await _account.RunIndex.UpsertEntityAsync(IndexRow(run), TableUpdateMode.Replace);
            await DeleteActiveEntryAsync(run.Id, CancellationToken.None);
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException)
        {
            // Readers cope: ListAsync reads run rows for non-terminal index rows, ListActiveAsync drops ended runs.
            Logs.RunIndexNotUpdated(_logger, run.Id, ex);
        }
    }

    private async Task DeleteActiveEntryAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            await _account.ActiveRuns.DeleteEntityAsync(ActivePartition, runId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }

    private static TableEntity IndexRow(RunRecord run)
    {
        var entity = new TableEntity(run.ProjectId, IndexKey(run))
        {
            [RunRows.Status] = run.Status.ToWire(),
            [RunRows.Pipeline] = run.PipelinePath,
        };
        RowColumns.WriteDocument(entity, RecordJson.Serialize(run with { Version = "" }));
        return entity;
    }

    /// <summary>Inverted creation ticks, so the newest run sorts first, then the id for uniqueness.</summary>
    private static string IndexKey(RunRecord run) =>
        (DateTimeOffset.MaxValue.UtcTicks - run.Created.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "~" + run.Id;

    private static string EncodeToken(string rowKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(rowKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written)
            ? Encoding.UTF8.GetString(buffer, 0, written)
            : throw new ArgumentException("The continuation token is not one this service issued.", nameof(token));
    }
}
