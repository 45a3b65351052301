using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Orchest.Engine.Events;
using Orchest.Storage.Azure;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Testing.Served;

/// <summary>
/// Test-only direct access to one test's (or chaos trial's) storage with the Azure SDK: what the hosts wrote, raw. A test's
/// names start with its prefix (Orchest's tables and containers) or with its task hub's name, "orchest" +
/// prefix (the Durable Task hub's tables, queues and containers: history, instances, large messages).
/// </summary>
public sealed class StorageInspector(string connectionString, string prefix)
{
    private readonly TableServiceClient _tables = new(connectionString);
    private readonly BlobServiceClient _blobs = new(connectionString);
    private readonly QueueServiceClient _queues = new(connectionString);
    private readonly AzureStorageOptions _options = new() { ConnectionString = connectionString, NamePrefix = prefix };

    /// <summary>The Durable Task hub of this test's hosts.</summary>
    public string TaskHub { get; } = "orchest" + prefix;

    /// <summary>The run projection as the hosts see it (decoded rows, events).</summary>
    public TableRunProjection Runs() => new(new OrchestStorageAccount(_options));

    /// <summary>The job store as the hosts see it.</summary>
    public TableJobStore Jobs() => new(new OrchestStorageAccount(_options));

    /// <summary>The job store publishing its events to <paramref name="events"/> (e.g. one that fails as a dying host would).</summary>
    public TableJobStore Jobs(IJobEvents events) => new(new OrchestStorageAccount(_options), events);

    /// <summary>Every entity of every table of this test, with its table name.</summary>
    public async Task<IReadOnlyList<(string Table, TableEntity Entity)>> AllEntitiesAsync()
    {
        var found = new List<(string, TableEntity)>();
        await foreach (var table in _tables.QueryAsync())
        {
            if (!Ours(table.Name))
            {
                continue;
            }

            await foreach (var entity in _tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                found.Add((table.Name, entity));
            }
        }

        return found;
    }

    /// <summary>Entities of one table (its name without the prefix, e.g. "orchestruns").</summary>
    public async Task<IReadOnlyList<TableEntity>> EntitiesAsync(string table)
    {
        var found = new List<TableEntity>();
        try
        {
            await foreach (var entity in _tables.GetTableClient(prefix + table).QueryAsync<TableEntity>())
            {
                found.Add(entity);
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // No table: nothing stored.
        }

        return found;
    }

    /// <summary>
    /// The task hub's history rows of one orchestration or entity instance (an entity's instance id is
    /// "@name@key", e.g. "@runprojection@" + run id), in order: what Durable Task recorded it decided.
    /// </summary>
    public async Task<IReadOnlyList<TableEntity>> HistoryAsync(string instanceId)
    {
        var found = new List<TableEntity>();
        try
        {
            await foreach (var entity in _tables.GetTableClient(TaskHub + "History").QueryAsync<TableEntity>(e => e.PartitionKey == instanceId))
            {
                found.Add(entity);
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // No history table: nothing recorded.
        }

        return found;
    }

    /// <summary>Every blob of this test's containers (whose name starts with <paramref name="namePrefix"/>, if given): container, name and raw bytes.</summary>
    public async Task<IReadOnlyList<(string Container, string Name, byte[] Content)>> AllBlobsAsync(string? namePrefix = null)
    {
        var found = new List<(string, string, byte[])>();
        await foreach (var item in _blobs.GetBlobContainersAsync())
        {
            if (!Ours(item.Name))
            {
                continue;
            }

            var name = item.Name;
            var container = _blobs.GetBlobContainerClient(name);
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = namePrefix }))
            {
                try
                {
                    var content = await container.GetBlobClient(blob.Name).DownloadContentAsync();
                    found.Add((name, blob.Name, content.Value.Content.ToArray()));
                }
                catch (Azure.RequestFailedException ex) when (ex.Status == 404)
                {
                    // Deleted between the listing and its read (an output set pruned by a commit meanwhile): not there.
                }
            }
        }

        return found;
    }

    /// <summary>Every property value of an entity as text (to search for what must not be there).</summary>
    public static string Text(TableEntity entity)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in entity)
        {
            text.Append(key).Append('=').Append(value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes) + " " + Convert.ToBase64String(bytes),
                BinaryData data => data.ToString(),
                _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            }).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Deletes this test's tables, queues and containers (its own and its task hub's).</summary>
    public async Task DeleteAllAsync()
    {
        var deletions = new List<Task>();
        await foreach (var table in _tables.QueryAsync())
        {
            if (Ours(table.Name))
            {
                deletions.Add(_tables.DeleteTableAsync(table.Name));
            }
        }

        await foreach (var queue in _queues.GetQueuesAsync())
        {
            if (Ours(queue.Name))
            {
                deletions.Add(_queues.DeleteQueueAsync(queue.Name));
            }
        }

        await foreach (var container in _blobs.GetBlobContainersAsync())
        {
            if (Ours(container.Name))
            {
                deletions.Add(_blobs.DeleteBlobContainerAsync(container.Name));
            }
        }

        try
        {
            await Task.WhenAll(deletions);
        }
        catch (Azure.RequestFailedException)
        {
            // Deleted meanwhile.
        }
    }

    private bool Ours(string name) =>
        name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || name.StartsWith(TaskHub, StringComparison.OrdinalIgnoreCase);
}
