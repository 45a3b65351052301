using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Storage.Azure.Definitions;

namespace Orchest.Storage.Azure.Tables;

/// <summary>
/// Run state in Table storage (DESIGN §5): one partition per run, every transition one entity-group
/// transaction guarded by the run row's ETag (larger ones through a roll-forward intent). Also the
/// run catalog: the active-run index and the per-project run listing. Definitions live in blobs,
/// their environment values encrypted.
/// </summary>
public sealed partial class TableRunStore : IRunStore, IRunCatalog
{
    private readonly OrchestStorageAccount _account;
    private readonly TableClient _runs;
    private readonly RunDefinitionBlobs _definitions;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;

    /// <summary>How many runs the snapshot cache keeps (least recently used ones go first).</summary>
    internal const int CachedRuns = 256;

    /// <summary>Delta reads that saw rows of a later transition before a full read is done instead.</summary>
    private const int MaxDeltaAttempts = 4;

    // The run row's next event and change sequences, remembered per snapshot this store read or
    // committed, so a commit needs no extra read. Snapshots read elsewhere fall back to a point read.
    private readonly ConditionalWeakTable<RunSnapshot, RowState> _rowStates = [];

    private readonly RunSnapshotCache _cache = new(CachedRuns);
    private long _fullReads;
    private long _deltaReads;
    private long _deltaRows;
    private long _cacheHits;

    public TableRunStore(OrchestStorageAccount account, ILogger<TableRunStore>? logger = null, TimeProvider? clock = null)
    {
        _account = account;
        _runs = account.Runs;
        _definitions = new RunDefinitionBlobs(account.State, account.Secrets);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Test seam: called after batch N of a multi-batch transition committed (throw to simulate a crash).</summary>
    internal Func<int, Task>? AfterIntentBatch { get; set; }

    /// <summary>Test seam: reads of a whole run partition (run row and every step row).</summary>
    internal long FullReads => Interlocked.Read(ref _fullReads);

    /// <summary>Test seam: queries for the step rows changed since a cached snapshot.</summary>
    internal long DeltaReads => Interlocked.Read(ref _deltaReads);

    /// <summary>Test seam: step rows the delta reads returned.</summary>
    internal long DeltaRowsRead => Interlocked.Read(ref _deltaRows);

    /// <summary>Test seam: reads answered from the cache after a point read of the run row.</summary>
    internal long CacheHits => Interlocked.Read(ref _cacheHits);

    /// <summary>Test seam: the runs whose snapshot is cached.</summary>
    internal int CachedRunCount => _cache.Count;

    public async Task CreateAsync(RunSnapshot snapshot, RunDefinition definition, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken = default)
    {
        var run = snapshot.Run;
        var operation = $"create run {run.Id}";
        var existing = await StorageErrors.GuardAsync(operation, async () =>
            (await _runs.GetEntityIfExistsAsync<TableEntity>(run.Id, RunRows.RunKey, [RunRows.Status], cancellationToken)).HasValue);
        if (existing)
        {
            throw new InvalidOperationException($"Run {run.Id} already exists.");
        }

        // Indexes first, so a run that exists is always found; entries of runs that never got their
        // run row are dropped by the readers (ListActiveAsync) or skipped (ListAsync).
        await StorageErrors.GuardAsync(operation, () => _account.ActiveRuns.UpsertEntityAsync(
            new TableEntity(ActivePartition, run.Id), TableUpdateMode.Replace, cancellationToken));
        await StorageErrors.GuardAsync(operation, () => _account.RunIndex.UpsertEntityAsync(
            IndexRow(run), TableUpdateMode.Replace, cancellationToken));
        await _definitions.WriteAsync(definition, cancellationToken);

        // The run row is written last, in the last batch: until it exists the run does not (GetAsync
        // returns null), so a creation that dies half way is invisible.
        var rows = snapshot.Steps.Select((s, i) => RunRows.StepRow(run.Id, s, i, 0))
            .Concat(events.Select((e, i) => RunRows.EventRow(e, i)))
            .ToList();
        var runRow = RunRows.RunRow(run, events.Count, 0);
        var single = rows.Count + 1 <= TableBatches.MaxOperations
                     && TableBatches.EstimateBytes(rows) + RowColumns.EstimateBytes(runRow) <= TableBatches.MaxBytes;
        var actionType = single ? TableTransactionActionType.Add : TableTransactionActionType.UpsertReplace;
        var actions = rows.Select(r => new TableTransactionAction(actionType, r)).ToList();
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, runRow));
        foreach (var batch in TableBatches.Split(actions, a => (TableEntity)a.Entity, TableBatches.MaxOperations))
        {
            try
            {
                await StorageErrors.GuardAsync(operation, () => _runs.SubmitTransactionAsync(batch, cancellationToken));
            }
            catch (AzureStorageException ex) when (ex.Status == 409)
            {
                throw new InvalidOperationException($"Run {run.Id} already exists.", ex);
            }
        }
    }

    /// <summary>
    /// Reads a run. With a cached snapshot of it: a point read of the run row; the cached snapshot when
    /// the run row is unchanged, else the cached snapshot merged with the step rows changed since.
    /// </summary>
    /// <remarks>
    /// Invariant: every step of a returned snapshot is in the state the run row it returns (its
    /// <c>Run.Version</c>) committed, or in a later one. A transition writes its step rows and the run row
    /// (change sequence + 1) in one entity-group transaction, so once the run row at sequence N is read,
    /// every step row written by transitions up to N is stored; the step rows are read after the run row
    /// and are therefore at least that new. A delta read (step rows with sequence above the cached one)
    /// that also sees rows of a transition later than N is discarded and retried from a fresh run row, so
    /// a cached entry never holds a snapshot whose run row is older than one of its step rows' sequence
    /// claims to cover. Staleness can therefore only be "run row older than the stored one", and every
    /// commit is guarded by the run row's ETag: a stale snapshot never commits (412, the caller re-reads).
    /// A run row whose ETag changed but whose sequence did not grow (rows written before the sequence
    /// existed, which read as 0) forces a full read; so does a pending intent (rolled forward first).
    /// </remarks>
    public async Task<RunSnapshot?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        var deltaAttempts = 0;
        while (true)
        {
            if (deltaAttempts < MaxDeltaAttempts && _cache.TryGet(runId) is { } cached)
            {
                var runRow = await StorageErrors.GuardAsync($"read run {runId}", async () =>
                    (await _runs.GetEntityIfExistsAsync<TableEntity>(runId, RunRows.RunKey, cancellationToken: cancellationToken)).Value);
                if (runRow is null)
                {
                    _cache.Remove(runId);
                    return null;
                }

                if (RunRows.ReadIntent(runRow) is not null)
                {
                    _cache.Remove(runId);
                    await RollForwardAsync(runId, runRow, cancellationToken);
                    continue;
                }

                if (runRow.ETag.ToString() == cached.Snapshot.Run.Version)
                {
                    Interlocked.Increment(ref _cacheHits);
                    return cached.Snapshot;
                }

                var sequence = RunRows.ReadSequence(runRow);
                if (sequence > cached.Sequence)
                {
                    deltaAttempts++;
                    var changed = await ReadChangedStepsAsync(runId, cached.Sequence, cancellationToken);
                    if (changed.Any(row => RunRows.ReadSequence(row) > sequence))
                    {
                        continue; // a later transition committed meanwhile: read its run row too
                    }

                    if (StorageErrors.Guard($"read run {runId}", () => Merge(cached.Snapshot, runRow, changed)) is { } merged)
                    {
                        Remember(runId, merged, runRow, sequence);
                        return merged;
                    }
                }

                // The run row changed without a newer sequence (or a row is not in the snapshot): read it all.
            }

            var rows = await StorageErrors.GuardAsync($"read run {runId}", async () =>
            {
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {runId} and RowKey ge {RunRows.RunKey}");
                var list = new List<TableEntity>();
                await foreach (var row in _runs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
                {
                    list.Add(row);
                }

                return list;
            });
            Interlocked.Increment(ref _fullReads);
            if (rows.Count == 0 || rows[0].RowKey != RunRows.RunKey)
            {
                _cache.Remove(runId);
                return null;
            }

            var fullRunRow = rows[0];
            if (RunRows.ReadIntent(fullRunRow) is not null)
            {
                // A transition committed its first batch but not the rest: finish it before anyone sees it.
                _cache.Remove(runId);
                await RollForwardAsync(runId, fullRunRow, cancellationToken);
                continue;
            }

            var result = StorageErrors.Guard($"read run {runId}", () => new RunSnapshot(
                RunRows.ReadRun(fullRunRow),
                rows.Skip(1).OrderBy(RunRows.ReadOrder).Select(RunRows.ReadStep).ToList()));
            Remember(runId, result, fullRunRow, RunRows.ReadSequence(fullRunRow));
            return result;
        }
    }

    private async Task<List<TableEntity>> ReadChangedStepsAsync(string runId, long since, CancellationToken cancellationToken)
    {
        var rows = await StorageErrors.GuardAsync($"read run {runId}", async () =>
        {
            // Interpolated values are quoted as literals: the column name is spelled out (RunRows.Sequence).
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {runId} and RowKey gt {RunRows.StepPrefix} and cs gt {since}");
            var list = new List<TableEntity>();
            await foreach (var row in _runs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                list.Add(row);
            }

            return list;
        });
        Interlocked.Increment(ref _deltaReads);
        Interlocked.Add(ref _deltaRows, rows.Count);
        return rows;
    }

    /// <summary>The cached snapshot with the run row and the changed step rows applied; null when a row is not one of its steps.</summary>
    private static RunSnapshot? Merge(RunSnapshot cached, TableEntity runRow, List<TableEntity> changed)
    {
        var steps = new StepRecord[cached.Steps.Count];
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i] = cached.Steps[i];
        }

        foreach (var row in changed)
        {
            if (!row.RowKey.StartsWith(RunRows.StepPrefix, StringComparison.Ordinal)
                || !cached.Index.TryGetValue(row.RowKey[RunRows.StepPrefix.Length..], out var at))
            {
                return null;
            }

            steps[at] = RunRows.ReadStep(row);
        }

        return new RunSnapshot(RunRows.ReadRun(runRow), steps, cached.Index);
    }

    /// <summary>Records what a commit from <paramref name="snapshot"/> needs, and caches it while the run is active.</summary>
    private void Remember(string runId, RunSnapshot snapshot, TableEntity runRow, long sequence)
    {
        _rowStates.AddOrUpdate(snapshot, new RowState(RunRows.ReadNextEvent(runRow), sequence));
        if (snapshot.Run.Status.IsTerminal())
        {
            _cache.Remove(runId);
        }
        else
        {
            _cache.Put(runId, new RunSnapshotCache.Entry(snapshot, sequence));
        }
    }

    /// <summary>The run row's next event sequence and change sequence behind a snapshot.</summary>
    private sealed record RowState(long NextEvent, long Sequence);

    public async Task<RunDefinition?> GetDefinitionAsync(string runId, CancellationToken cancellationToken = default) =>
        await _definitions.ReadAsync(runId, cancellationToken);

    /// <summary>The definition blob's stored bytes (tests prove that no value is in them).</summary>
    internal Task<byte[]> ReadDefinitionBytesAsync(string runId, CancellationToken cancellationToken = default) =>
        _definitions.ReadRawAsync(runId, cancellationToken);
}
