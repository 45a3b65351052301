using Azure;
using Azure.Data.Tables;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Storage.Azure.Tables;

/// <summary>
/// The served read model of runs in Table storage (DESIGN §5): one partition per run (<see cref="RunRows"/>)
/// written from the progress of the run's orchestration, which alone decides the run's state, plus a
/// per-project listing. A progress is written in entity-group transactions, steps and events before
/// the run row, so a reader that sees the run row at progress N sees every row of N.
/// </summary>
public sealed partial class TableRunProjection(OrchestStorageAccount account) : IRunProjection
{
    private const string CancelKey = RunRows.RunKey + "~cancel";

    /// <summary>Upper bound of the run row and its cancel row ("run" &lt; "run~cancel" &lt; this &lt; "step~").</summary>
    private const string RunRowsUpperBound = RunRows.RunKey + "~~";

    /// <summary>Attempt numbers tried past the dispatched one before giving up (a dispatch lost this often is failed anyway).</summary>
    private const int MaxAttemptProbes = 16;

    private readonly TableClient _runs = account.Runs;

    public async Task CreateAsync(RunSnapshot run, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken = default)
    {
        var id = run.Run.Id;
        var operation = $"create run {id}";

        // Added, not upserted: when the orchestration's first progress got here first it is newer, and
        // the first conflict means exactly that.
        var rows = run.Steps.Select((s, i) => RunRows.StepRow(id, s, i, 0))
            .Concat(events.Select(RunRows.EventRow))
            .Append(RunRows.RunRow(run.Run, 0))
            .ToList();
        try
        {
            await AddIndexAsync(run.Run, cancellationToken);
            foreach (var batch in TableBatches.Split(rows, r => r, TableBatches.MaxOperations))
            {
                await StorageErrors.GuardAsync(operation, () => _runs.SubmitTransactionAsync(
                    batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken));
            }
        }
        catch (AzureStorageException ex) when (ex.Status == 409)
        {
            // Written by the run's orchestration already.
        }
    }

    public async Task ApplyAsync(RunProgress progress, CancellationToken cancellationToken = default)
    {
        var id = progress.RunId;
        var operation = $"record the progress of run {id}";
        var rows = progress.Steps.Select(s => RunRows.StepRow(id, s.Step, s.Order, progress.Sequence))
            .Concat(progress.Events.Select(RunRows.EventRow))
            .Append(RunRows.RunRow(progress.Run, progress.Sequence))
            .ToList();
        foreach (var batch in TableBatches.Split(rows, r => r, TableBatches.MaxOperations))
        {
            await StorageErrors.GuardAsync(operation, () => _runs.SubmitTransactionAsync(
                batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken));
        }

        if (progress.Sequence == 1 || progress.Final || progress.Events.Any(e => e.StepUuid is null))
        {
            await StorageErrors.GuardAsync(operation, () =>
                account.RunIndex.UpsertEntityAsync(IndexRow(progress.Run), TableUpdateMode.Replace, cancellationToken));
        }
    }

    public Task RequestCancelAsync(string runId, CancellationToken cancellationToken = default) =>
        StorageErrors.GuardAsync($"cancel run {runId}", () =>
            _runs.UpsertEntityAsync(new TableEntity(runId, CancelKey), TableUpdateMode.Replace, cancellationToken));

    public async Task<BegunAttempt> BeginAttemptAsync(
        string runId, string stepUuid, int dispatchedAttempt, string host, DateTimeOffset started, CancellationToken cancellationToken = default)
    {
        var lostOn = new List<string>();
        for (var attempt = dispatchedAttempt; attempt < dispatchedAttempt + MaxAttemptProbes; attempt++)
        {
            var row = new TableEntity(runId, RunRows.AttemptKey(stepUuid, attempt))
            {
                [RunRows.Host] = host,
                [RunRows.Started] = started,
            };
            try
            {
                await _runs.AddEntityAsync(row, cancellationToken);
                return new BegunAttempt(attempt, lostOn);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // An execution of this attempt began before (its host died): this one is the next.
                var earlier = await _runs.GetEntityIfExistsAsync<TableEntity>(runId, row.RowKey, [RunRows.Host], cancellationToken);
                lostOn.Add(earlier.HasValue ? earlier.Value!.GetString(RunRows.Host) ?? "unknown" : "unknown");
            }
            catch (Exception ex) when (StorageErrors.Translate($"record attempt {attempt} of run {runId} step {stepUuid}", ex) is { } translated)
            {
                throw translated;
            }
        }

        return new BegunAttempt(dispatchedAttempt + MaxAttemptProbes, lostOn);
    }
}
