using Azure.Data.Tables;
using Orchest.Engine.Webhooks;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Storage.Azure.Events;

/// <summary>
/// Subscriptions (one partition), their delivery history (PartitionKey = subscription) and the outbox
/// (PartitionKey = subscription) on Table storage. Deleting a subscription deletes its pending
/// deliveries and its history too.
/// </summary>
public sealed partial class TableWebhookStore(EventTables tables) : IWebhookSubscriptions, IWebhookDeliveries, IWebhookOutbox
{
    private const string SubscriptionsPartition = "webhook";

    public async Task CreateAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default)
    {
        await tables.ReadyAsync(cancellationToken);
        var row = new TableEntity(SubscriptionsPartition, subscription.Id);
        RowColumns.WriteDocument(row, RecordJson.Serialize(subscription));
        await StorageErrors.GuardAsync($"create webhook {subscription.Id}", () => tables.Webhooks.AddEntityAsync(row, cancellationToken));
    }

    public async Task<WebhookSubscription?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await tables.ReadyAsync(cancellationToken);
        var row = await StorageErrors.GuardAsync($"read webhook {id}", () =>
            tables.Webhooks.GetEntityIfExistsAsync<TableEntity>(SubscriptionsPartition, id, cancellationToken: cancellationToken));
        return row.HasValue ? RecordJson.Deserialize<WebhookSubscription>(RowColumns.ReadDocument(row.Value!)) : null;
    }

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken = default)
    {
        await tables.ReadyAsync(cancellationToken);
        var rows = await QueryAsync(tables.Webhooks, TableClient.CreateQueryFilter($"PartitionKey eq {SubscriptionsPartition}"), null, "list the webhooks", cancellationToken);
        return rows.Select(r => RecordJson.Deserialize<WebhookSubscription>(RowColumns.ReadDocument(r))).OrderBy(s => s.Created).ToList();
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(id, cancellationToken) is null)
        {
            return false;
        }

        var operation = $"delete webhook {id}";
        await StorageErrors.GuardAsync(operation, () => tables.Webhooks.DeleteEntityAsync(SubscriptionsPartition, id, cancellationToken: cancellationToken));

        // Pending deliveries first (senders stop taking them), then the history.
        foreach (var table in new[] { tables.Outbox, tables.Deliveries })
        {
            var rows = await QueryAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {id}"), ["PartitionKey", "RowKey"], operation, cancellationToken);
            foreach (var batch in TableBatches.Split(rows, r => r, TableBatches.MaxOperations))
            {
                await StorageErrors.GuardAsync(operation, () => table.SubmitTransactionAsync(
                    batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r)), cancellationToken));
            }
        }

        return true;
    }

    private static async Task<List<TableEntity>> QueryAsync(
        TableClient table, string filter, IEnumerable<string>? select, string operation, CancellationToken cancellationToken, int? max = null) =>
        await StorageErrors.GuardAsync(operation, async () =>
        {
            var rows = new List<TableEntity>();
            await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(1000, max ?? 1000), select, cancellationToken))
            {
                rows.Add(row);
                if (rows.Count == max)
                {
                    break;
                }
            }

            return rows;
        });
}
