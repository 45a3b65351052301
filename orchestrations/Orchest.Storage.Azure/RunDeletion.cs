using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Orchest.Engine.Ports;
using Orchest.Storage.Azure.Blobs;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Storage.Azure;

/// <summary>
/// Deletes an ended run (a job's retention): its output sets that no step points to as its latest or keeps
/// as a committed one, its logs and notebooks, its definition, its listing row and its partition, in that
/// order (the records go last, so a deletion cut short is found and finished by the next one).
/// </summary>
public sealed class RunDeletion(OrchestStorageAccount account, TableRunProjection runs) : IRunDeletion
{
    public async Task DeleteAsync(string runId, CancellationToken cancellationToken = default)
    {
        var operation = $"delete run {runId}";
        if (await runs.GetAsync(runId, cancellationToken) is { } snapshot)
        {
            var run = snapshot.Run;
            foreach (var step in snapshot.Steps)
            {
                var stepPrefix = BlobArtifactStore.StepPrefix(new StepKey(run.ProjectId, run.PipelineUuid, step.Uuid));
                var kept = await KeptSetsAsync(stepPrefix, operation, cancellationToken);
                foreach (var set in await SetsAsync(stepPrefix, runId, operation, cancellationToken))
                {
                    if (!kept.Contains(set))
                    {
                        await BlobArtifactStore.DeletePrefixAsync(account.Container, stepPrefix + set + "/", operation, cancellationToken);
                    }
                }
            }

            await BlobArtifactStore.DeletePrefixAsync(account.State, $"logs/{runId}/", operation, cancellationToken);
            await BlobArtifactStore.DeletePrefixAsync(account.State, $"definitions/{runId}.json", operation, cancellationToken);
            await StorageErrors.GuardAsync(operation, () => IgnoreMissingAsync(
                account.RunIndex.DeleteEntityAsync(run.ProjectId, TableRunProjection.IndexKey(run), ETag.All, cancellationToken)));
        }

        await StorageErrors.GuardAsync(operation, async () =>
        {
            var keys = new List<TableEntity>();
            await foreach (var row in account.Runs.QueryAsync<TableEntity>(
                               TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                keys.Add(row);
            }

            // The run row last (it sorts between events and steps): while it exists, the run is still found and deletable.
            var ordered = keys.Where(k => k.RowKey != "run").Append(keys.FirstOrDefault(k => k.RowKey == "run")).OfType<TableEntity>();
            foreach (var batch in TableBatches.Split(ordered, r => r, TableBatches.MaxOperations))
            {
                await account.Runs.SubmitTransactionAsync(
                    batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(r.PartitionKey, r.RowKey), ETag.All)),
                    cancellationToken);
            }
        });
    }

    /// <summary>The step's latest and committed output set names (never deleted: later runs read them).</summary>
    private async Task<HashSet<string>> KeptSetsAsync(string stepPrefix, string operation, CancellationToken cancellationToken)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pointer in new[] { BlobArtifactStore.LatestBlob, BlobArtifactStore.HistoryBlob })
        {
            await StorageErrors.GuardAsync(operation, async () =>
            {
                try
                {
                    var content = await account.Container.GetBlobClient(stepPrefix + pointer).DownloadContentAsync(cancellationToken);
                    kept.UnionWith(content.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // Never committed.
                }
            });
        }

        return kept;
    }

    /// <summary>The run's output sets of one step ("&lt;run&gt;-&lt;attempt&gt;"), one per attempt that began.</summary>
    private async Task<List<string>> SetsAsync(string stepPrefix, string runId, string operation, CancellationToken cancellationToken) =>
        await StorageErrors.GuardAsync(operation, async () =>
        {
            var sets = new List<string>();
            await foreach (var item in account.Container.GetBlobsByHierarchyAsync(
                               new GetBlobsByHierarchyOptions { Prefix = stepPrefix + runId + "-", Delimiter = "/" }, cancellationToken))
            {
                if (item.IsPrefix)
                {
                    sets.Add(item.Prefix[stepPrefix.Length..].TrimEnd('/'));
                }
            }

            return sets;
        });

    private static async Task IgnoreMissingAsync(Task<Response> delete)
    {
        try
        {
            await delete;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Deleted already.
        }
    }
}
