using System.Globalization;
using Azure.Data.Tables;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Storage.Azure.Tables;

/// <summary>What the API reads: a run with its steps, a project's runs, a run's events, whether a run must stop.</summary>
public sealed partial class TableRunProjection
{
    public async Task<RunSnapshot?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(runId, $"PartitionKey eq {runId} and RowKey ge {RunRows.RunKey}", $"read run {runId}", cancellationToken);
        if (rows.Count == 0 || rows[0].RowKey != RunRows.RunKey)
        {
            return null;
        }

        return StorageErrors.Guard($"read run {runId}", () =>
        {
            var run = RunRows.ReadRun(rows[0]);
            if (rows.Any(r => r.RowKey == CancelKey))
            {
                run = run with { CancelRequested = true };
            }

            var begun = rows.Where(r => r.RowKey.StartsWith(RunRows.AttemptPrefix, StringComparison.Ordinal))
                .Select(ReadAttempt)
                .GroupBy(a => a.StepUuid, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.MaxBy(a => a.Attempt)!, StringComparer.Ordinal);
            var steps = rows.Where(r => r.RowKey.StartsWith(RunRows.StepPrefix, StringComparison.Ordinal))
                .OrderBy(RunRows.ReadOrder)
                .Select(RunRows.ReadStep)
                .Select(step => run.Status.IsTerminal() ? step : WithBegunAttempt(step, begun))
                .ToList();
            return new RunSnapshot(run, steps);
        });
    }

    public async Task<RunRecord?> GetRecordAsync(string runId, CancellationToken cancellationToken = default)
    {
        var operation = $"read run {runId}";
        var row = await StorageErrors.GuardAsync(operation, () => _runs.GetEntityIfExistsAsync<TableEntity>(runId, RunRows.RunKey, cancellationToken: cancellationToken));
        return row.HasValue ? StorageErrors.Guard(operation, () => RunRows.ReadRun(row.Value!)) : null;
    }

    public async Task<bool?> IsStoppingAsync(string runId, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(
            runId, $"PartitionKey eq {runId} and RowKey ge {RunRows.RunKey} and RowKey lt {RunRowsUpperBound}", $"read run {runId}", cancellationToken);
        if (rows.Count == 0 || rows[0].RowKey != RunRows.RunKey)
        {
            return null;
        }

        var terminal = ExecutionStatusText.TryParse(rows[0].GetString(RunRows.Status) ?? "", out var status) && status.IsTerminal();
        return terminal || rows.Any(r => r.RowKey == CancelKey);
    }

    public async Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, long after = -1, CancellationToken cancellationToken = default)
    {
        var from = after < 0 ? RunRows.EventPrefix : RunRows.EventKey(after);
        var rows = await QueryAsync(
            runId, $"PartitionKey eq {runId} and RowKey gt {from} and RowKey lt {RunRows.EventUpperBound}", $"read the events of run {runId}", cancellationToken);
        return StorageErrors.Guard($"read the events of run {runId}", () => rows.Select(RunRows.ReadEvent).ToList());
    }

    /// <summary>
    /// Newest first from the run index (PartitionKey = project, RowKey = inverted ticks + run id). Index rows
    /// of ended runs carry the final record; for the others the run row is read, so a stale index status
    /// never shows. The continuation token is the last row key returned.
    /// </summary>
    public async Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        var after = ContinuationTokens.Decode(query.ContinuationToken);
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
            await foreach (var row in account.RunIndex.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(1000, query.PageSize * 2), cancellationToken: cancellationToken))
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

            return new RunPage(runs, more && last is not null ? ContinuationTokens.Encode(last) : null);
        });
    }

    private static StepRecord WithBegunAttempt(StepRecord step, Dictionary<string, AttemptRow> begun) =>
        step.Status == ExecutionStatus.Pending && step.Dispatched
        && begun.TryGetValue(step.Uuid, out var attempt) && attempt.Attempt >= step.Attempt
            ? step with
            {
                Status = ExecutionStatus.Started,
                Attempt = attempt.Attempt,
                Started = step.Started ?? attempt.Started,
                Owner = attempt.Host,
            }
            : step;

    private static AttemptRow ReadAttempt(TableEntity row)
    {
        var key = row.RowKey[RunRows.AttemptPrefix.Length..];
        var separator = key.LastIndexOf('~');
        return new AttemptRow(
            key[..separator],
            int.Parse(key[(separator + 1)..], CultureInfo.InvariantCulture),
            row.GetString(RunRows.Host) ?? "",
            row.GetDateTimeOffset(RunRows.Started) ?? row.Timestamp ?? DateTimeOffset.MinValue);
    }

    private async Task<List<TableEntity>> QueryAsync(string runId, FormattableString filter, string operation, CancellationToken cancellationToken) =>
        await StorageErrors.GuardAsync(operation, async () =>
        {
            var rows = new List<TableEntity>();
            await foreach (var row in _runs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(filter), maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }

            return rows;
        });

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

    private Task AddIndexAsync(RunRecord run, CancellationToken cancellationToken) =>
        StorageErrors.GuardAsync($"list run {run.Id}", () => account.RunIndex.AddEntityAsync(IndexRow(run), cancellationToken));

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
    internal static string IndexKey(RunRecord run) =>
        (DateTimeOffset.MaxValue.UtcTicks - run.Created.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "~" + run.Id;

    private sealed record AttemptRow(string StepUuid, int Attempt, string Host, DateTimeOffset Started);
}
