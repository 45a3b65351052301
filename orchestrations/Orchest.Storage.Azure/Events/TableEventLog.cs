using Azure;
using Azure.Data.Tables;
using Orchest.Engine.Events;
using Orchest.Engine.Webhooks;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Storage.Azure.Events;

/// <summary>
/// <see cref="IEventLog"/> on Table storage. Recording an event writes its project log row and, for each
/// matching subscription, its delivery record and outbox row; every write is keyed by the event id, so a
/// redelivered progress adds nothing. The outbox row follows the record: a delivery whose record exists but
/// whose outbox row is missing (a crash between the two) gets the row on redelivery; one already delivered
/// or dead-lettered is not queued again.
/// </summary>
public sealed partial class TableEventLog(EventTables tables, WebhookSubscriptionCache subscriptions, OutboxSignal signal, TimeProvider clock) : IEventLog
{
    internal const string TypeColumn = "type";
    internal const string RunColumn = "run";
    internal const string StatusColumn = "status";

    public async Task AppendAsync(IReadOnlyList<OrchestEvent> events, DateTimeOffset recorded, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return;
        }

        await tables.ReadyAsync(cancellationToken);
        var documents = events.ToDictionary(e => e.Id, OrchestEventJson.Serialize, StringComparer.Ordinal);
        foreach (var project in events.GroupBy(e => e.Project, StringComparer.Ordinal))
        {
            var rows = project.Select(e => LogRow(e, documents[e.Id], recorded)).ToList();
            await SubmitAsync(tables.Events, rows, TableTransactionActionType.UpsertReplace, $"record the events of project {project.Key}", cancellationToken);
        }

        var queued = false;
        foreach (var subscription in await subscriptions.ListAsync(cancellationToken))
        {
            var matching = events.Where(subscription.Matches).ToList();
            if (matching.Count > 0)
            {
                await EnqueueAsync(subscription, matching, documents, cancellationToken);
                queued = true;
            }
        }

        if (queued)
        {
            signal.Notify();
        }
    }

    private async Task EnqueueAsync(
        WebhookSubscription subscription, IReadOnlyList<OrchestEvent> events, IReadOnlyDictionary<string, string> documents, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var operation = $"queue deliveries to webhook {subscription.Id}";
        var records = events.Select(e => RecordRow(subscription.Id, new WebhookDelivery
        {
            Subscription = subscription.Id,
            EventId = e.Id,
            EventType = e.Type,
            EventTime = e.Time,
            Run = e.Run,
            Status = WebhookDelivery.Pending,
            Created = now,
        })).ToList();
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in TableBatches.Split(records, r => r, TableBatches.MaxOperations))
        {
            if (await TryAddAllAsync(tables.Deliveries, batch, operation, cancellationToken))
            {
                fresh.UnionWith(batch.Select(r => r.RowKey));
                continue;
            }

            // Some were queued before (a redelivered progress): only those still pending need their outbox row.
            foreach (var record in batch)
            {
                if (await AddOrPendingAsync(record, operation, cancellationToken))
                {
                    fresh.Add(record.RowKey);
                }
            }
        }

        var outbox = events
            .Select(e => OutboxRow(subscription.Id, EventTables.DeliveryKey(e.Time, e.Id), documents[e.Id], now))
            .Where(r => fresh.Contains(r.RowKey))
            .ToList();
        foreach (var batch in TableBatches.Split(outbox, r => r, TableBatches.MaxOperations))
        {
            if (!await TryAddAllAsync(tables.Outbox, batch, operation, cancellationToken))
            {
                foreach (var row in batch)
                {
                    await AddIgnoringConflictAsync(tables.Outbox, row, operation, cancellationToken);
                }
            }
        }
    }

    /// <summary>Adds a record; true when it is new or still pending (its outbox row may be missing).</summary>
    private async Task<bool> AddOrPendingAsync(TableEntity record, string operation, CancellationToken cancellationToken)
    {
        if (await AddIgnoringConflictAsync(tables.Deliveries, record, operation, cancellationToken))
        {
            return true;
        }

        var existing = await StorageErrors.GuardAsync(operation, () =>
            tables.Deliveries.GetEntityIfExistsAsync<TableEntity>(record.PartitionKey, record.RowKey, [StatusColumn], cancellationToken));
        return existing.HasValue && existing.Value!.GetString(StatusColumn) == WebhookDelivery.Pending;
    }

    private static async Task<bool> AddIgnoringConflictAsync(TableClient table, TableEntity row, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
        catch (Exception ex) when (StorageErrors.Translate(operation, ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Adds every row in one transaction; false when one of them exists already.</summary>
    private static async Task<bool> TryAddAllAsync(TableClient table, IReadOnlyList<TableEntity> rows, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
        catch (Exception ex) when (StorageErrors.Translate(operation, ex) is { } translated)
        {
            throw translated;
        }
    }

    private static async Task SubmitAsync(
        TableClient table, IReadOnlyList<TableEntity> rows, TableTransactionActionType type, string operation, CancellationToken cancellationToken)
    {
        foreach (var batch in TableBatches.Split(rows, r => r, TableBatches.MaxOperations))
        {
            await StorageErrors.GuardAsync(operation, () => table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(type, r)), cancellationToken));
        }
    }

    private static TableEntity LogRow(OrchestEvent orchestEvent, string document, DateTimeOffset recorded)
    {
        var row = new TableEntity(orchestEvent.Project, EventTables.LogKey(recorded, orchestEvent.Id))
        {
            [TypeColumn] = orchestEvent.Type,
            [RunColumn] = orchestEvent.Run,
        };
        RowColumns.WriteDocument(row, document);
        return row;
    }

    internal static TableEntity RecordRow(string subscription, WebhookDelivery delivery)
    {
        var row = new TableEntity(subscription, EventTables.DeliveryKey(delivery.EventTime, delivery.EventId))
        {
            [StatusColumn] = delivery.Status,
            [TypeColumn] = delivery.EventType,
        };
        RowColumns.WriteDocument(row, RecordJson.Serialize(delivery));
        return row;
    }

    private static TableEntity OutboxRow(string subscription, string key, string document, DateTimeOffset now)
    {
        var row = new TableEntity(subscription, key)
        {
            [OutboxColumns.AvailableAt] = now,
            [OutboxColumns.Claims] = 0,
            [OutboxColumns.Created] = now,
            [OutboxColumns.Attempts] = "[]",
        };
        RowColumns.WriteDocument(row, document);
        return row;
    }
}
