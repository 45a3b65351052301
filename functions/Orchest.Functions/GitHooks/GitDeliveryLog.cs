using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Orchest.Functions.Projects;

namespace Orchest.Functions.GitHooks;

/// <summary>
/// Which deliveries a project has handled and what each was answered, one row per (project, provider, delivery id)
/// in the project registry's table. A delivery is claimed (an insert: exactly one request wins) before anything is
/// done, and its answer recorded when done: a redelivery gets the recorded answer and starts nothing. A claim keeps
/// the delivery as it was read, so a claim left by a host that died (or whose handling failed) is taken over, by a
/// redelivery or by the housekeeping (<see cref="StaleAsync"/>), and the push is not lost.
/// </summary>
internal sealed class GitDeliveryLog(TableProjectRegistry registry, GitHookOptions options, TimeProvider clock)
{
    private const string PartitionPrefix = "gitdelivery~";

    /// <summary>The first partition key after every <see cref="PartitionPrefix"/> one ('~' + 1).</summary>
    private const string PartitionPrefixEnd = "gitdelivery\u007f";

    /// <summary>Handlings a delivery gets (the first and the takeovers) before the housekeeping gives it up.</summary>
    public const int MaxAttempts = 5;

    private readonly TableClient _table = registry.Table;

    /// <summary>Claims a delivery: held by the caller, or its recorded answer, or (status 0) being handled elsewhere.</summary>
    public async Task<GitDeliveryClaim> ClaimAsync(string projectId, GitDelivery delivery, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Keys(projectId, delivery);
        try
        {
            var added = await _table.AddEntityAsync(Claim(partition, row, delivery, attempts: 1), cancellationToken);
            return new GitDeliveryClaim(new HeldGitDelivery(projectId, delivery, 1, VersionedRows.VersionOf(added)), 0, "");
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = (await _table.GetEntityAsync<TableEntity>(partition, row, cancellationToken: cancellationToken)).Value;
            if (existing.GetInt32("Status") is { } status && existing.GetString("Answer") is { } answer)
            {
                return new GitDeliveryClaim(null, status, answer);
            }

            // A failed handling is taken over at once (the forge's redelivery is someone asking again); a claim
            // still being handled only when its host has had long enough to be dead.
            var attempt = (existing.GetInt32("Attempts") ?? 1) + 1;
            return (existing.GetString("Failed") is not null || IsStale(existing))
                && await VersionedRows.TryReplaceAsync(_table, Claim(partition, row, delivery, attempt), existing.ETag, cancellationToken) is { } version
                    ? new GitDeliveryClaim(new HeldGitDelivery(projectId, delivery, attempt, version), 0, "")
                    : GitDeliveryClaim.InProgress;
        }
    }

    /// <summary>
    /// Records the answer of a held delivery, whoever holds it now: a handling taken over meanwhile did the same
    /// work under the same ids, so its answer is the taker's too.
    /// </summary>
    public Task CompleteAsync(HeldGitDelivery held, int status, string answer, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Keys(held.ProjectId, held.Delivery);
        return _table.UpsertEntityAsync(
            new TableEntity(partition, row) { ["Claimed"] = clock.GetUtcNow(), ["DeliveryId"] = held.Delivery.DeliveryId, ["Status"] = status, ["Answer"] = answer },
            TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Marks a held delivery whose handling failed (<paramref name="reason"/>: what failed, never a message that
    /// could hold a secret): a redelivery takes it over at once, the housekeeping once the claim is stale. Marks
    /// nothing when the claim was taken over, answered or forgotten since (false): the taker's handling goes on.
    /// </summary>
    public async Task<bool> FailAsync(HeldGitDelivery held, string reason, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Keys(held.ProjectId, held.Delivery);
        try
        {
            await _table.UpdateEntityAsync(new TableEntity(partition, row) { ["Failed"] = reason }, held.Version, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Gives a held claim back (its handling failed before anything was started): a redelivery tries again. Gives
    /// nothing back when the claim was taken over, answered or forgotten since (false).
    /// </summary>
    public async Task<bool> ReleaseAsync(HeldGitDelivery held, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Keys(held.ProjectId, held.Delivery);
        try
        {
            await _table.DeleteEntityAsync(partition, row, held.Version, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// The unanswered claims of every project taken <see cref="GitHookOptions.TakeOverAfter"/> or longer ago: their hosts died, or their
    /// handling failed and nobody redelivered. Claims written before claims kept their delivery are not among them.
    /// </summary>
    public async Task<IReadOnlyList<StaleGitDelivery>> StaleAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow() - options.TakeOverAfter;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {PartitionPrefix} and PartitionKey lt {PartitionPrefixEnd} and Pending eq {true} and Claimed le {cutoff}");
        var stale = new List<StaleGitDelivery>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (DeliveryOf(row) is { } delivery)
            {
                stale.Add(new StaleGitDelivery(row.PartitionKey[PartitionPrefix.Length..], delivery, row.GetInt32("Attempts") ?? 1, row.GetString("Failed"), row.ETag));
            }
        }

        return stale;
    }

    /// <summary>Takes a stale claim over (one taker wins: a redelivery or another round may race for it). Null when someone else has it.</summary>
    public async Task<HeldGitDelivery?> TakeOverAsync(StaleGitDelivery stale, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Keys(stale.ProjectId, stale.Delivery);
        var attempt = stale.Attempts + 1;
        return await VersionedRows.TryReplaceAsync(_table, Claim(partition, row, stale.Delivery, attempt), stale.ETag, cancellationToken) is { } version
            ? new HeldGitDelivery(stale.ProjectId, stale.Delivery, attempt, version)
            : null;
    }

    /// <summary>Forgets a stale claim the housekeeping gives up on, unless someone took it over meanwhile: a redelivery is then handled as new.</summary>
    public async Task<bool> AbandonAsync(StaleGitDelivery stale, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Keys(stale.ProjectId, stale.Delivery);
        try
        {
            await _table.DeleteEntityAsync(partition, row, stale.ETag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Forgets deliveries claimed longer ago than <see cref="GitHookOptions.DeliveryRetention"/> (answered or not):
    /// a redelivery after that is handled as new. Providers redeliver within days (GitHub keeps deliveries 3 days).
    /// Returns how many were forgotten.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow() - options.DeliveryRetention;
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

    private bool IsStale(TableEntity claim) => claim.GetDateTimeOffset("Claimed") is { } claimed && clock.GetUtcNow() - claimed >= options.TakeOverAfter;

    /// <summary>A claim: who may handle the delivery until when, and the delivery as read (what a takeover acts on).</summary>
    private TableEntity Claim(string partition, string row, GitDelivery delivery, int attempts) => new(partition, row)
    {
        ["Claimed"] = clock.GetUtcNow(),
        ["DeliveryId"] = delivery.DeliveryId,
        ["Pending"] = true,
        ["Attempts"] = attempts,
        ["Provider"] = delivery.Provider.ToString(),
        ["Event"] = delivery.Event,
        ["Ref"] = delivery.Ref,
        ["Before"] = delivery.Before,
        ["After"] = delivery.After,
    };

    private static GitDelivery? DeliveryOf(TableEntity claim) =>
        Enum.TryParse<GitProvider>(claim.GetString("Provider"), out var provider)
        && claim.GetString("DeliveryId") is { } id && claim.GetString("Event") is { } @event
            ? new GitDelivery(provider, id, @event, claim.GetString("Ref"), claim.GetString("Before"), claim.GetString("After"))
            : null;

    /// <summary>Delivery ids are the provider's text: hashed into a row key (no characters a key forbids).</summary>
    private static (string Partition, string Row) Keys(string projectId, GitDelivery delivery) =>
        (PartitionPrefix + projectId, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DeliveryKey(delivery)))));
}
