using Azure;
using Azure.Data.Tables;
using Orchest.Engine.Webhooks;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Storage.Azure.Events;

/// <summary>The outbox side: due deliveries, claims (conditional on the row's ETag), outcomes.</summary>
public sealed partial class TableWebhookStore
{
    public async Task<IReadOnlyList<PendingDelivery>> ListDueAsync(string subscription, DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await tables.ReadyAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {subscription}") + $" and {OutboxColumns.AvailableAt} le " + TableClient.CreateQueryFilter($"{now}");
        var rows = await QueryAsync(tables.Outbox, filter, null, $"list the due deliveries of webhook {subscription}", cancellationToken, max);
        return rows.Select(ReadPending).OrderBy(p => p.AvailableAt).ToList();
    }

    public async Task<PendingDelivery?> ClaimAsync(PendingDelivery due, string host, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        var claim = new TableEntity(due.Subscription, due.Key)
        {
            [OutboxColumns.AvailableAt] = leaseUntil,
            [OutboxColumns.Claims] = due.Claims + 1,
            [OutboxColumns.Owner] = host,
        };
        try
        {
            var response = await tables.Outbox.UpdateEntityAsync(claim, new ETag(due.Version), TableUpdateMode.Merge, cancellationToken);
            return due with { Claims = due.Claims + 1, Owner = host, AvailableAt = leaseUntil, Version = response.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null; // another host took it, or it is done
        }
        catch (Exception ex) when (StorageErrors.Translate($"claim delivery {due.Key} of webhook {due.Subscription}", ex) is { } translated)
        {
            throw translated;
        }
    }

    public async Task SettleAsync(PendingDelivery claimed, WebhookDelivery record, DateTimeOffset? retryAt, CancellationToken cancellationToken = default)
    {
        var operation = $"record delivery {claimed.Key} of webhook {claimed.Subscription}";
        await StorageErrors.GuardAsync(operation, () =>
            tables.Deliveries.UpsertEntityAsync(TableEventLog.RecordRow(claimed.Subscription, record), TableUpdateMode.Replace, cancellationToken));
        try
        {
            if (retryAt is { } at)
            {
                var next = new TableEntity(claimed.Subscription, claimed.Key)
                {
                    [OutboxColumns.AvailableAt] = at,
                    [OutboxColumns.Owner] = "",
                    [OutboxColumns.Attempts] = RecordJson.Serialize(record.Attempts),
                };
                await tables.Outbox.UpdateEntityAsync(next, new ETag(claimed.Version), TableUpdateMode.Merge, cancellationToken);
            }
            else
            {
                await tables.Outbox.DeleteEntityAsync(claimed.Subscription, claimed.Key, new ETag(claimed.Version), cancellationToken);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // This claim's lease ran out and another host took the delivery (or the subscription was deleted): theirs now.
        }
        catch (Exception ex) when (StorageErrors.Translate(operation, ex) is { } translated)
        {
            throw translated;
        }
    }

    private static PendingDelivery ReadPending(TableEntity row) => new(
        row.PartitionKey,
        row.RowKey,
        RowColumns.ReadDocument(row),
        row.GetInt32(OutboxColumns.Claims) ?? 0,
        row.GetString(OutboxColumns.Owner) is { Length: > 0 } owner ? owner : null,
        row.GetDateTimeOffset(OutboxColumns.AvailableAt) ?? DateTimeOffset.MinValue,
        RecordJson.Deserialize<List<WebhookAttempt>>(row.GetString(OutboxColumns.Attempts) ?? "[]"),
        row.GetDateTimeOffset(OutboxColumns.Created) ?? DateTimeOffset.MinValue,
        row.ETag.ToString());
}
