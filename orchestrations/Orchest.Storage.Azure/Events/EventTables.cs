using System.Globalization;
using Azure.Data.Tables;

namespace Orchest.Storage.Azure.Events;

/// <summary>
/// The tables of events and webhooks: <c>orchestevents</c> (each project's events in recorded order,
/// PartitionKey = project), <c>orchestwebhooks</c> (subscriptions), <c>orchestdeliveries</c> (each
/// subscription's delivery history, newest event first) and <c>orchestoutbox</c> (deliveries not yet
/// delivered or dead-lettered: small, so polling it stays cheap however long the history grows).
/// Created on first use.
/// </summary>
public sealed class EventTables
{
    private readonly Lock _gate = new();
    private Task? _ready;

    public EventTables(AzureStorageOptions options)
    {
        var tables = new TableServiceClient(options.ConnectionString);
        Events = tables.GetTableClient(options.Table("orchestevents"));
        Webhooks = tables.GetTableClient(options.Table("orchestwebhooks"));
        Deliveries = tables.GetTableClient(options.Table("orchestdeliveries"));
        Outbox = tables.GetTableClient(options.Table("orchestoutbox"));
    }

    internal TableClient Events { get; }
    internal TableClient Webhooks { get; }
    internal TableClient Deliveries { get; }
    internal TableClient Outbox { get; }

    /// <summary>Creates the tables once per instance (again after a failure).</summary>
    public Task ReadyAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = StorageErrors.GuardAsync("create the event and webhook tables", () => Task.WhenAll(
                    Events.CreateIfNotExistsAsync(cancellationToken),
                    Webhooks.CreateIfNotExistsAsync(cancellationToken),
                    Deliveries.CreateIfNotExistsAsync(cancellationToken),
                    Outbox.CreateIfNotExistsAsync(cancellationToken)));
            }

            return _ready;
        }
    }

    /// <summary>Deletes the four tables (tests).</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(
            Events.DeleteAsync(cancellationToken), Webhooks.DeleteAsync(cancellationToken),
            Deliveries.DeleteAsync(cancellationToken), Outbox.DeleteAsync(cancellationToken));
        lock (_gate)
        {
            _ready = null;
        }
    }

    /// <summary>A delivery's key: newest event first, then the event id (unique per subscription).</summary>
    internal static string DeliveryKey(DateTimeOffset eventTime, string eventId) =>
        (DateTimeOffset.MaxValue.UtcTicks - eventTime.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "~" + eventId;

    /// <summary>A project log row's key: recorded time, then the event id.</summary>
    internal static string LogKey(DateTimeOffset recorded, string eventId) => Ticks(recorded) + "~" + eventId;

    internal static string Ticks(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
