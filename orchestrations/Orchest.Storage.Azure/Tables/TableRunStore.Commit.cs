using Azure;
using Azure.Data.Tables;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Storage.Azure.Tables;

public sealed partial class TableRunStore
{
    public async Task<bool> TryCommitAsync(RunTransition transition, CancellationToken cancellationToken = default)
    {
        var before = transition.Before;
        var runId = transition.RunId;
        var state = _rowStates.TryGetValue(before, out var known)
            ? known
            : await ReadRowStateAsync(runId, before.Run.Version, cancellationToken);
        if (state is null)
        {
            return false;
        }

        var first = state.NextEvent;
        var sequence = state.Sequence + 1;
        var stepRows = transition.ChangedSteps
            .Select(s => (Row: RunRows.StepRow(runId, s, before.Index[s.Uuid], sequence), ETag: RunRows.ToETag(before.GetStep(s.Uuid).Version)))
            .ToList();
        var eventRows = transition.Events.Select((e, i) => RunRows.EventRow(e, first + i)).ToList();
        var next = first + eventRows.Count;
        var runRow = RunRows.RunRow(transition.Run, next, sequence);
        var size = RowColumns.EstimateBytes(runRow) + TableBatches.EstimateBytes(stepRows.Select(s => s.Row)) + TableBatches.EstimateBytes(eventRows);
        bool committed;
        if (1 + stepRows.Count + eventRows.Count <= TableBatches.MaxOperations && size <= TableBatches.MaxBytes)
        {
            var responses = await CommitOneBatchAsync(transition, runRow, stepRows, eventRows, cancellationToken);
            committed = responses is not null;
            if (responses is not null)
            {
                RememberCommit(transition, next, sequence, responses);
            }
        }
        else
        {
            // Rolled forward batch by batch (maybe by another reader): the next read refreshes the cache.
            _cache.Remove(runId);
            committed = await CommitThroughIntentAsync(transition, next, sequence, stepRows, eventRows, cancellationToken);
        }

        if (!committed)
        {
            return false;
        }

        if (transition.Run.Status.IsTerminal() && !before.Run.Status.IsTerminal())
        {
            await RecordRunEndedAsync(transition.Run);
        }

        return true;
    }

    /// <summary>
    /// Caches the state a one-batch commit left: the snapshot it started from with the transition's run
    /// record and changed steps, their versions the ETags of the transaction's sub-responses (in action
    /// order: run row, step rows, event rows). Without an ETag for every row the run is dropped from the
    /// cache instead (the next read is a full one). Exact: the commit succeeded If-Match the snapshot's run
    /// row, so no other transition came between.
    /// </summary>
    private void RememberCommit(RunTransition transition, long nextEvent, long sequence, IReadOnlyList<Response> responses)
    {
        var before = transition.Before;
        var runId = transition.RunId;
        if (transition.Run.Status.IsTerminal()
            || responses.Count < 1 + transition.ChangedSteps.Count
            || responses[0].Headers.ETag is not { } runETag)
        {
            _cache.Remove(runId);
            return;
        }

        var steps = new StepRecord[before.Steps.Count];
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i] = before.Steps[i];
        }

        for (var i = 0; i < transition.ChangedSteps.Count; i++)
        {
            if (responses[1 + i].Headers.ETag is not { } stepETag)
            {
                _cache.Remove(runId);
                return;
            }

            var step = transition.ChangedSteps[i];
            steps[before.Index[step.Uuid]] = step with { Version = stepETag.ToString() };
        }

        var after = new RunSnapshot(transition.Run with { Version = runETag.ToString() }, steps, before.Index);
        _rowStates.AddOrUpdate(after, new RowState(nextEvent, sequence));
        _cache.Put(runId, new RunSnapshotCache.Entry(after, sequence));
    }

    private async Task<IReadOnlyList<Response>?> CommitOneBatchAsync(
        RunTransition transition, TableEntity runRow, List<(TableEntity Row, ETag ETag)> stepRows, List<TableEntity> eventRows, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>(1 + stepRows.Count + eventRows.Count)
        {
            new(TableTransactionActionType.UpdateReplace, runRow, RunRows.ToETag(transition.Before.Run.Version)),
        };
        actions.AddRange(stepRows.Select(s => new TableTransactionAction(TableTransactionActionType.UpdateReplace, s.Row, s.ETag)));
        actions.AddRange(eventRows.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        return await SubmitAsync(transition.RunId, actions, cancellationToken);
    }

    /// <summary>
    /// Submits a batch whose first action is the run row with If-Match; null when the run row (or a
    /// guarded step row) changed or disappeared meanwhile, else the run row's new ETag (or an empty
    /// ETag when the service did not return it).
    /// </summary>
    private async Task<ETag?> SubmitGuardedAsync(string runId, List<TableTransactionAction> actions, CancellationToken cancellationToken) =>
        await SubmitAsync(runId, actions, cancellationToken) is { } responses
            ? responses.Count > 0 && responses[0].Headers.ETag is { } etag ? etag : default(ETag)
            : null;

    /// <summary>As <see cref="SubmitGuardedAsync"/>, with every sub-response (null on a lost race).</summary>
    private async Task<IReadOnlyList<Response>?> SubmitAsync(string runId, List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _runs.SubmitTransactionAsync(actions, cancellationToken);
            return response.Value;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404 or 409)
        {
            // 412: another transition won (the run row's ETag moved); 404: the run is gone;
            // 409: an event row already exists, which only a winning concurrent commit writes.
            Logs.CommitConflict(_logger, runId, ex.Status);
            return null;
        }
        catch (Exception ex) when (StorageErrors.Translate($"commit a transition of run {runId}", ex) is { } translated)
        {
            throw translated;
        }
    }

    private async Task<bool> CommitThroughIntentAsync(
        RunTransition transition, long nextEvent, long sequence, List<(TableEntity Row, ETag ETag)> stepRows, List<TableEntity> eventRows, CancellationToken cancellationToken)
    {
        var runId = transition.RunId;
        var rows = stepRows.Select(s => (s.Row, ETag: (ETag?)s.ETag)).Concat(eventRows.Select(e => (Row: e, ETag: (ETag?)null))).ToList();
        var batches = TableBatches.Split(rows, r => r.Row, TableBatches.MaxOperations - 1, TableBatches.MaxBytes - RowColumns.EstimateBytes(RunRows.RunRow(transition.Run, nextEvent, sequence)));
        var intent = new TransitionIntent
        {
            Id = Guid.NewGuid().ToString("n"),
            Run = RecordJson.Serialize(transition.Run with { Version = "" }),
            NextEvent = nextEvent,
            Sequence = sequence,
            Batches = batches.Select(b => b.Select(r => new IntentRow(r.Row.RowKey, RowColumns.ReadDocument(r.Row), r.Row.GetInt32(RunRows.Order))).ToList()).ToList(),
        };
        var blob = _account.State.GetBlobClient(TransitionIntent.BlobName(runId, intent.Id));
        await StorageErrors.GuardAsync($"write a transition intent of run {runId}", () =>
            blob.UploadAsync(BinaryData.FromObjectAsJson(intent), overwrite: true, cancellationToken));

        // Batch 0 is the commit point: the run row (If-Match the snapshot) now names the intent, and the
        // first rows carry their own If-Match. Every later batch is applied by us or by any reader.
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, RunRows.RunRow(transition.Run, nextEvent, sequence, intent.Id, 1), RunRows.ToETag(transition.Before.Run.Version)),
        };
        actions.AddRange(batches[0].Select(r => r.ETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, r.Row, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, r.Row)));
        if (await SubmitGuardedAsync(runId, actions, cancellationToken) is null && !await RunRowNamesIntentAsync(runId, intent.Id, cancellationToken))
        {
            // Lost the race. (A 412 can also be the storage client's retry of a batch 0 that did
            // apply: then the run row names our intent and the blob must stay for the roll-forward.)
            await DeleteQuietlyAsync(runId, blob.Name);
            return false;
        }

        Logs.IntentCommitted(_logger, runId, intent.Id, batches.Count, rows.Count);
        if (AfterIntentBatch is { } hook)
        {
            await hook(0);
        }

        try
        {
            await RollForwardAsync(runId, null, cancellationToken, intent);
        }
        catch (AzureStorageException ex)
        {
            // Committed already: whoever reads the run next finishes the remaining batches.
            Logs.IntentNotFinished(_logger, runId, intent.Id, ex);
        }

        return true;
    }

    /// <summary>
    /// Applies the remaining batches of the run's pending intent. Idempotent and safe to run
    /// concurrently: each batch is guarded by the run row's ETag, so a batch applies once and a
    /// roll-forward that fell behind stops instead of overwriting newer state.
    /// </summary>
    private async Task RollForwardAsync(string runId, TableEntity? runRow, CancellationToken cancellationToken, TransitionIntent? known = null)
    {
        var operation = $"roll forward a transition of run {runId}";
        runRow ??= await StorageErrors.GuardAsync(operation, async () =>
            (await _runs.GetEntityIfExistsAsync<TableEntity>(runId, RunRows.RunKey, cancellationToken: cancellationToken)).Value);
        if (runRow is null || RunRows.ReadIntent(runRow) is not { } id)
        {
            return;
        }

        TransitionIntent intent;
        try
        {
            intent = known?.Id == id ? known : await ReadIntentAsync(runId, id, cancellationToken);
        }
        catch (AzureStorageException ex) when (ex.Status == 404)
        {
            if (!await RunRowChangedAsync(runId, runRow.ETag, cancellationToken))
            {
                throw; // the run row still names it: the blob is really gone
            }

            // Whoever applied the intent's last batch deleted its blob after we read the run row:
            // nothing left to do here, the caller reads the run again.
            return;
        }

        var run = RecordJson.Deserialize<RunRecord>(intent.Run);
        var etag = runRow.ETag;
        for (var batch = RunRows.ReadIntentBatch(runRow); batch < intent.Batches.Count; batch++)
        {
            var last = batch == intent.Batches.Count - 1;
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.UpdateReplace, RunRows.RunRow(run, intent.NextEvent, intent.Sequence, last ? null : id, batch + 1), etag),
            };
            actions.AddRange(intent.Batches[batch].Select(r =>
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, IntentEntity(runId, r, intent.Sequence))));
            var next = await SubmitGuardedAsync(runId, actions, cancellationToken);
            if (next is not { } advanced)
            {
                return; // someone else advanced the intent; the caller reads again
            }

            if (AfterIntentBatch is { } hook)
            {
                await hook(batch);
            }

            if (advanced == default && !last)
            {
                return; // no ETag returned: the caller reads the run row again and continues
            }

            etag = advanced;
        }

        Logs.IntentFinished(_logger, runId, id);
        await DeleteQuietlyAsync(runId, TransitionIntent.BlobName(runId, id));
    }

    private async Task<TransitionIntent> ReadIntentAsync(string runId, string id, CancellationToken cancellationToken) =>
        await StorageErrors.GuardAsync($"read transition intent {id} of run {runId}", async () =>
        {
            var content = await _account.State.GetBlobClient(TransitionIntent.BlobName(runId, id)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<TransitionIntent>()
                ?? throw new System.Text.Json.JsonException("empty intent");
        });

    /// <summary>True when the run row names <paramref name="intentId"/> as its pending intent (our batch 0 applied).</summary>
    private async Task<bool> RunRowNamesIntentAsync(string runId, string intentId, CancellationToken cancellationToken)
    {
        var row = await StorageErrors.GuardAsync($"read run {runId}", async () =>
            (await _runs.GetEntityIfExistsAsync<TableEntity>(runId, RunRows.RunKey, [RunRows.Intent], cancellationToken)).Value);
        return row?.GetString(RunRows.Intent) == intentId;
    }

    /// <summary>True when the run row is gone or no longer has <paramref name="etag"/> (a missing intent blob is then no loss).</summary>
    private async Task<bool> RunRowChangedAsync(string runId, ETag etag, CancellationToken cancellationToken)
    {
        var row = await StorageErrors.GuardAsync($"read run {runId}", async () =>
            (await _runs.GetEntityIfExistsAsync<TableEntity>(runId, RunRows.RunKey, [RunRows.Intent], cancellationToken)).Value);
        return row is null || row.ETag != etag;
    }

    private static TableEntity IntentEntity(string runId, IntentRow row, long sequence)
    {
        var entity = new TableEntity(runId, row.Key);
        if (row.Order is { } order)
        {
            entity[RunRows.Order] = order;
            entity[RunRows.Sequence] = sequence; // a step row
        }

        RowColumns.WriteDocument(entity, row.Document);
        return entity;
    }

    /// <summary>The next event and change sequences of the run row if it still has <paramref name="version"/> and no pending intent.</summary>
    private async Task<RowState?> ReadRowStateAsync(string runId, string version, CancellationToken cancellationToken)
    {
        var row = await StorageErrors.GuardAsync($"read run {runId}", async () =>
            (await _runs.GetEntityIfExistsAsync<TableEntity>(runId, RunRows.RunKey, [RunRows.NextEvent, RunRows.Intent, RunRows.Sequence], cancellationToken)).Value);
        return row is not null && row.ETag.ToString() == version && RunRows.ReadIntent(row) is null
            ? new RowState(RunRows.ReadNextEvent(row), RunRows.ReadSequence(row))
            : null;
    }

    private async Task DeleteQuietlyAsync(string runId, string blobName)
    {
        try
        {
            await _account.State.GetBlobClient(blobName).DeleteIfExistsAsync();
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException)
        {
            Logs.CleanupFailed(_logger, runId, blobName, ex);
        }
    }
}
