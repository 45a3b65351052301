using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Orchest.Functions.Projects;

namespace Orchest.Functions.GitHooks;

/// <summary>
/// Which deliveries a project has handled and what each was answered, one row per (project, provider, delivery id)
/// in the project registry's table. A delivery is claimed (an insert: exactly one request wins) before anything is
/// done, and its answer recorded when done: a redelivery gets the recorded answer and starts nothing.
/// </summary>
internal sealed class GitDeliveryLog(TableProjectRegistry registry, TimeProvider clock)
{
    private const string PartitionPrefix = "gitdelivery~";

    /// <summary>The first partition key after every <see cref="PartitionPrefix"/> one ('~' + 1).</summary>
    private const string PartitionPrefixEnd = "gitdelivery\u007f";

    /// <summary>A claim older than this with no answer belongs to a host that died: the next delivery takes it over.</summary>
    public static readonly TimeSpan TakeOver = TimeSpan.FromMinutes(2);

    private readonly TableClient _table = registry.Table;

    /// <summary>Null when the caller now owns the delivery; else its recorded answer, or (status 0) it is being handled elsewhere.</summary>
    public async Task<(int Status, string Answer)?> ClaimAsync(string projectId, GitDelivery delivery, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Keys(projectId, delivery);
        var claim = new TableEntity(partition, row) { ["Claimed"] = clock.GetUtcNow(), ["DeliveryId"] = delivery.DeliveryId };
        try
        {
            await _table.AddEntityAsync(claim, cancellationToken);
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = (await _table.GetEntityAsync<TableEntity>(partition, row, cancellationToken: cancellationToken)).Value;
            if (existing.GetInt32("Status") is { } status && existing.GetString("Answer") is { } answer)
            {
                return (status, answer);
            }

            if (existing.GetDateTimeOffset("Claimed") is { } claimed && clock.GetUtcNow() - claimed > TakeOver)
            {
                try
                {
                    await _table.UpdateEntityAsync(claim, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                    return null;
                }
                catch (RequestFailedException taken) when (taken.Status == 412)
                {
                    // Another redelivery took it over first.
                }
            }

            return (0, "");
        }
    }

    /// <summary>Records the answer of a claimed delivery.</summary>
    public Task CompleteAsync(string projectId, GitDelivery delivery, int status, string answer, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Keys(projectId, delivery);
        return _table.UpsertEntityAsync(
            new TableEntity(partition, row) { ["Claimed"] = clock.GetUtcNow(), ["DeliveryId"] = delivery.DeliveryId, ["Status"] = status, ["Answer"] = answer },
            TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Gives a claim back (handling failed before anything was started): a redelivery tries again.</summary>
    public async Task ReleaseAsync(string projectId, GitDelivery delivery, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Keys(projectId, delivery);
        try
        {
            await _table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Forgets deliveries claimed longer ago than <paramref name="retention"/> (answered or not): a redelivery
    /// after that is handled as new. Providers redeliver within days (GitHub keeps deliveries 3 days). Returns
    /// how many were forgotten.
    /// </summary>
    public async Task<int> PruneAsync(TimeSpan retention, CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow() - retention;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {PartitionPrefix} and PartitionKey lt {PartitionPrefixEnd} and Claimed lt {cutoff}");
        var pruned = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            try
            {
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                pruned++;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Another host pruned it.
            }
        }

        return pruned;
    }

    /// <summary>The tick key of the runs a delivery starts (the same on every redelivery).</summary>
    public static string DeliveryKey(GitDelivery delivery) => delivery.Provider.ToString().ToLowerInvariant() + ":" + delivery.DeliveryId;

    /// <summary>Delivery ids are the provider's text: hashed into a row key (no characters a key forbids).</summary>
    private static (string Partition, string Row) Keys(string projectId, GitDelivery delivery) =>
        (PartitionPrefix + projectId, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DeliveryKey(delivery)))));
}
