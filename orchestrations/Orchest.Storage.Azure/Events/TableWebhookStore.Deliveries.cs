using Azure.Data.Tables;
using Orchest.Engine.Webhooks;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Storage.Azure.Events;

/// <summary>The delivery history, newest event first.</summary>
public sealed partial class TableWebhookStore
{
    public async Task<DeliveryPage> ListAsync(string subscription, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var after = ContinuationTokens.Decode(continuationToken);
        await tables.ReadyAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {subscription} and RowKey gt {after ?? ""}");
        var rows = await QueryAsync(tables.Deliveries, filter, null, $"list the deliveries of webhook {subscription}", cancellationToken, pageSize + 1);
        var page = rows.Take(pageSize).ToList();
        return new DeliveryPage(
            page.Select(r => RecordJson.Deserialize<WebhookDelivery>(RowColumns.ReadDocument(r))).ToList(),
            rows.Count > pageSize ? ContinuationTokens.Encode(page[^1].RowKey) : null);
    }
}
