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

    // The run row's next event sequence, remembered per snapshot this store read, so a commit needs
    // no extra read. Snapshots read elsewhere fall back to a point read of the run row.
    private readonly ConditionalWeakTable<RunSnapshot, StrongBox<long>> _nextEvents = [];

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
        var rows = snapshot.Steps.Select((s, i) => RunRows.StepRow(run.Id, s, i))
            .Concat(events.Select((e, i) => RunRows.EventRow(e, i)))
            .ToList();
        var runRow = RunRows.RunRow(run, events.Count);
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

    public async Task<RunSnapshot?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
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
            if (rows.Count == 0 || rows[0].RowKey != RunRows.RunKey)
            {
                return null;
            }

            var runRow = rows[0];
            if (RunRows.ReadIntent(runRow) is not null)
            {
                // A transition committed its first batch but not the rest: finish it before anyone sees it.
                await RollForwardAsync(runId, runRow, cancellationToken);
                continue;
            }

            var result = StorageErrors.Guard($"read run {runId}", () => new RunSnapshot(
                RunRows.ReadRun(runRow),
                rows.Skip(1).OrderBy(RunRows.ReadOrder).Select(RunRows.ReadStep).ToList()));
            _nextEvents.AddOrUpdate(result, new StrongBox<long>(RunRows.ReadNextEvent(runRow)));
            return result;
        }
    }

    public async Task<RunDefinition?> GetDefinitionAsync(string runId, CancellationToken cancellationToken = default) =>
        await _definitions.ReadAsync(runId, cancellationToken);

    /// <summary>The definition blob's stored bytes (tests prove that no value is in them).</summary>
    internal Task<byte[]> ReadDefinitionBytesAsync(string runId, CancellationToken cancellationToken = default) =>
        _definitions.ReadRawAsync(runId, cancellationToken);
}
