using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;

namespace Orchest.Storage.Azure.Blobs;

/// <summary>
/// Output sets, logs and executed notebooks in Blob storage. Output sets live in their own container at
/// <c>outputs/&lt;project&gt;/&lt;pipeline&gt;/&lt;step&gt;/&lt;set&gt;/</c> beside a <c>LATEST</c> pointer and a
/// <c>COMMITTED</c> history (as <see cref="Orchest.Engine.Embedded.LocalArtifactStore"/> keeps on disk);
/// steps reach them through PROTOCOL §2 blob locations. Logs are append blobs
/// <c>logs/&lt;run&gt;/&lt;step&gt;.log</c> in the state container, which no step gets a SAS for.
/// </summary>
public sealed partial class BlobArtifactStore : IArtifactStore, IServiceLogs
{
    internal const string LatestBlob = "LATEST";
    internal const string HistoryBlob = "COMMITTED";

    private readonly BlobContainerClient _outputs;
    private readonly BlobContainerClient _state;
    private readonly AzureStorageOptions _options;
    private readonly int _retainedOutputSets;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly IRunProjection? _runs;

    /// <param name="account">The storage account; its connection string must carry an account key (SAS signing).</param>
    /// <param name="retainedOutputSets">Committed sets kept per step besides the latest (<c>EngineOptions.RetainedOutputSets</c>).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="clock">Clock.</param>
    /// <param name="runs">
    /// Where runs are recorded: a committed set beyond the retention is pruned only once its run has ended (or is
    /// stopping), since its run's later steps may still read it. Without it, sets are pruned by retention alone.
    /// </param>
    /// <exception cref="OptionsValidationException">The connection cannot sign SAS tokens.</exception>
    public BlobArtifactStore(
        OrchestStorageAccount account, int retainedOutputSets = 1, ILogger<BlobArtifactStore>? logger = null, TimeProvider? clock = null, IRunProjection? runs = null)
    {
        _runs = runs;
        _outputs = account.Container;
        _state = account.State;
        _options = account.Options;
        if (!_outputs.CanGenerateSasUri)
        {
            throw new OptionsValidationException(nameof(AzureStorageOptions), typeof(AzureStorageOptions),
            [
                $"{AzureStorageOptions.ConnectionStringKey} must include AccountName and AccountKey: served mode signs SAS locations so steps read and write their outputs without Azure credentials.",
            ]);
        }

        _retainedOutputSets = Math.Max(0, retainedOutputSets);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <remarks>
    /// Nothing to clear: a set name is per run and attempt, and every execution of a step runs as an
    /// attempt of its own (an execution lost with its host leaves its number behind), so the set is new.
    /// </remarks>
    public Task<StepLocation> PrepareOutputSetAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default) =>
        // Delete: the SDKs remove an output's old metadata before replacing it (PROTOCOL §3).
        Task.FromResult(Locate(key, outputSet, BlobContainerSasPermissions.Create | BlobContainerSasPermissions.Write
                                               | BlobContainerSasPermissions.Delete | BlobContainerSasPermissions.Read
                                               | BlobContainerSasPermissions.List));

    public Task<bool> HasOutputsAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default) =>
        StorageErrors.GuardAsync($"list output set {outputSet} of step {key.StepUuid}", async () =>
        {
            await foreach (var page in _outputs.GetBlobsAsync(new GetBlobsOptions { Prefix = SetPrefix(key, outputSet) }, cancellationToken).AsPages(pageSizeHint: 1))
            {
                return page.Values.Count > 0;
            }

            return false;
        });

    public StepLocation LocateOutputSet(StepKey key, string outputSet) =>
        Locate(key, outputSet, BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List);

    public async Task<string?> GetLatestOutputSetAsync(StepKey key, string? readerRunId = null, CancellationToken cancellationToken = default)
    {
        var operation = $"read the latest output set of step {key.StepUuid}";
        for (var attempt = 0; ; attempt++)
        {
            var latest = await DownloadTextAsync(_outputs.GetBlobClient(StepPrefix(key) + LatestBlob), operation, cancellationToken);
            var name = latest?.Text.Trim();
            if (string.IsNullOrEmpty(name))
            {
                return null;
            }

            // A run reading another run's set pins it first, so later commits keep it while the reader goes; a set
            // pruned since the pointer was read is not pinned: the pointer moved on, read it again.
            if (readerRunId is not null && _runs is not null && StepAttempts.RunOfOutputSet(name) != readerRunId
                && !await PinAsync(key, name, readerRunId, operation, cancellationToken) && attempt < 5)
            {
                continue;
            }

            var exists = await StorageErrors.GuardAsync(operation, async () =>
            {
                await foreach (var _ in _outputs.GetBlobsAsync(new GetBlobsOptions { Prefix = SetPrefix(key, name) }, cancellationToken))
                {
                    return true;
                }

                return false;
            });
            return exists ? name : null;
        }
    }

    public async Task CommitLatestAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default)
    {
        var operation = $"commit output set {outputSet} of step {key.StepUuid}";
        await StorageErrors.GuardAsync(operation, () =>
            _outputs.GetBlobClient(StepPrefix(key) + LatestBlob).UploadAsync(BinaryData.FromString(outputSet + "\n"), overwrite: true, cancellationToken));

        // Committed sets, oldest first, updated under an ETag condition (runs of the same pipeline may
        // commit the same step at once); sets beyond the retention are deleted. Sets never committed
        // (another run's attempt still writing) are not in this list and are never touched here.
        var history = _outputs.GetBlobClient(StepPrefix(key) + HistoryBlob);
        var going = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var attempt = 0; ; attempt++)
        {
            var current = await DownloadTextAsync(history, operation, cancellationToken);
            var committed = CommittedSets.Parse(current?.Text);
            var sets = committed.Sets.Where(s => s != outputSet).Append(outputSet).ToList();
            var excess = sets.Count - (1 + _retainedOutputSets);
            var pruned = await PrunableAsync(sets.Take(Math.Max(0, excess)), committed.Pins, going, cancellationToken);
            var kept = sets.Skip(pruned.Count).ToList();

            // Pins stay while their set is not pruned (a set just committed may be pinned before it is listed) and
            // their reader may still go.
            var pins = committed.Pins.Where(p => !pruned.Contains(p.Set) && going.GetValueOrDefault(p.Reader, true)).ToList();
            if (!await TryReplaceCommittedAsync(history, current, new CommittedSets(kept, pins), attempt, operation, cancellationToken))
            {
                continue;
            }

            foreach (var old in pruned)
            {
                await DeletePrefixAsync(_outputs, SetPrefix(key, old), operation, cancellationToken);
            }

            return;
        }
    }

    /// <summary>
    /// The oldest of <paramref name="candidates"/> (oldest first) up to the first still needed: its run still goes
    /// (runs of one pipeline at once, a job's grid or overlapping ticks, commit the same steps, and a set pruned
    /// while its run goes would be missing for that run's later steps: a child, or a step run again after its host
    /// died), or a run that reads it still goes (<paramref name="pins"/>). Sets behind one still needed wait for a
    /// later commit; a set whose run is unknown (deleted) is prunable. One run read per run asked, plus one;
    /// <paramref name="going"/> keeps the answers for the commit's retries and its pins.
    /// </summary>
    private async Task<List<string>> PrunableAsync(
        IEnumerable<string> candidates, List<(string Set, string Reader)> pins, Dictionary<string, bool> going, CancellationToken cancellationToken)
    {
        var prunable = new List<string>();
        if (_runs is null)
        {
            return candidates.ToList();
        }

        foreach (var set in candidates)
        {
            var runs = pins.Where(p => p.Set == set).Select(p => p.Reader).Prepend(StepAttempts.RunOfOutputSet(set)).OfType<string>();
            foreach (var runId in runs)
            {
                if (!going.TryGetValue(runId, out var stillGoing))
                {
                    going[runId] = stillGoing = await _runs.IsStoppingAsync(runId, cancellationToken) == false;
                }

                if (stillGoing)
                {
                    return prunable;
                }
            }

            prunable.Add(set);
        }

        return prunable;
    }

    /// <summary>
    /// Records that <paramref name="reader"/> reads <paramref name="set"/> (in the step's COMMITTED blob, under its
    /// ETag, so a commit pruning at once either sees the pin or makes this try again). False when the set is no
    /// longer committed nor the step's latest: pruned since its pointer was read.
    /// </summary>
    private async Task<bool> PinAsync(StepKey key, string set, string reader, string operation, CancellationToken cancellationToken)
    {
        var history = _outputs.GetBlobClient(StepPrefix(key) + HistoryBlob);
        for (var attempt = 0; ; attempt++)
        {
            var current = await DownloadTextAsync(history, operation, cancellationToken);
            var committed = CommittedSets.Parse(current?.Text);
            if (committed.IsPinned(set, reader))
            {
                return true;
            }

            if (!committed.Sets.Contains(set))
            {
                // Not listed: just committed (its pointer is written before the list) or pruned since.
                var latest = await DownloadTextAsync(_outputs.GetBlobClient(StepPrefix(key) + LatestBlob), operation, cancellationToken);
                if (latest?.Text.Trim() != set)
                {
                    return false;
                }
            }

            committed.Pins.Add((set, reader));
            if (await TryReplaceCommittedAsync(history, current, committed, attempt, operation, cancellationToken))
            {
                return true;
            }

            // A commit or another pin meanwhile: read the list again.
        }
    }

    /// <summary>
    /// Writes a step's <c>COMMITTED</c> list if it is still <paramref name="current"/> (absent when null); false when
    /// another writer changed it meanwhile (read it again), up to 20 attempts.
    /// </summary>
    private static async Task<bool> TryReplaceCommittedAsync(
        BlobClient history, (string Text, ETag ETag)? current, CommittedSets committed, int attempt, string operation, CancellationToken cancellationToken)
    {
        var conditions = current is { } c ? new BlobRequestConditions { IfMatch = c.ETag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            await history.UploadAsync(BinaryData.FromString(committed.Format()), new BlobUploadOptions { Conditions = conditions }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 409 && attempt < 20)
        {
            return false;
        }
        catch (Exception ex) when (StorageErrors.Translate(operation, ex) is { } translated)
        {
            throw translated;
        }
    }

    public Task DiscardOutputSetAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default) =>
        DeletePrefixAsync(_outputs, SetPrefix(key, outputSet), $"discard output set {outputSet} of step {key.StepUuid}", cancellationToken);

    public Task<IStepLog> OpenLogAsync(StepLogTarget target, CancellationToken cancellationToken = default)
    {
        var log = new BlobStepLog(_state.GetAppendBlobClient(LogBlobName(target.RunId, target.StepUuid)), target, _logger);
        if (target.Attempt > 1)
        {
            log.WriteSeparator($"--- attempt {target.Attempt} ---");
        }

        return Task.FromResult<IStepLog>(log);
    }

    public string ExecutedNotebookPath(StepLogTarget target)
    {
        var folder = Path.Combine(_options.LocalDirectory, "notebooks", target.RunId);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, target.StepUuid + ".ipynb");
    }

    public async Task PublishStepFilesAsync(StepLogTarget target, CancellationToken cancellationToken = default)
    {
        var local = ExecutedNotebookPath(target);
        if (!File.Exists(local))
        {
            return;
        }

        await StorageErrors.GuardAsync($"upload the executed notebook of run {target.RunId} step {target.StepUuid}", () =>
            _state.GetBlobClient(NotebookBlobName(target.RunId, target.StepUuid)).UploadAsync(local, overwrite: true, cancellationToken));
        File.Delete(local);
    }

    // A container SAS reaches every blob of the output container, not only this set's prefix: a
    // directory-scoped SAS (sr=d) needs a hierarchical-namespace account, and a blob SAS cannot list
    // or create new names. That is why output sets have a container of their own (nothing else is in
    // it) and why tokens are short-lived (Orchest:Storage:SasLifetime).
    private StepLocation Locate(StepKey key, string outputSet, BlobContainerSasPermissions permissions)
    {
        var sas = _outputs.GenerateSasUri(permissions, _clock.GetUtcNow() + _options.SasLifetime);
        return StepLocation.Blob(_outputs.Uri.AbsoluteUri.TrimEnd('/'), SetPrefix(key, outputSet), sas.Query.TrimStart('?'));
    }

    internal static string PipelinePrefix(string projectId, string pipelineUuid) => $"outputs/{projectId}/{pipelineUuid}/";

    internal static string StepPrefix(StepKey key) => PipelinePrefix(key.ProjectId, key.PipelineUuid) + key.StepUuid + "/";

    internal static string SetPrefix(StepKey key, string outputSet) => StepPrefix(key) + outputSet + "/";

    internal static string LogBlobName(string runId, string stepUuid) => $"logs/{runId}/{stepUuid}.log";

    internal static string NotebookBlobName(string runId, string stepUuid) => $"logs/{runId}/{stepUuid}.ipynb";

    private static async Task<(string Text, ETag ETag)?> DownloadTextAsync(BlobClient blob, string operation, CancellationToken cancellationToken) =>
        await StorageErrors.GuardAsync(operation, async () =>
        {
            try
            {
                var content = await blob.DownloadContentAsync(cancellationToken);
                return ((string Text, ETag ETag)?)(content.Value.Content.ToString(), content.Value.Details.ETag);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null;
            }
        });

    internal static Task DeletePrefixAsync(BlobContainerClient container, string prefix, string operation, CancellationToken cancellationToken) =>
        StorageErrors.GuardAsync(operation, async () =>
        {
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
            {
                try
                {
                    await container.DeleteBlobAsync(blob.Name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // Deleted concurrently.
                }
            }
        });
}
