using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Orchest.Storage.Azure;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Functions.Tests.Support;

/// <summary>
/// Test-only direct access to one test's storage (by name prefix) with the Azure SDK: what the hosts
/// wrote, raw, and the lost-message fault the reconciler must repair.
/// </summary>
internal sealed class StorageInspector(string connectionString, string prefix)
{
    private readonly TableServiceClient _tables = new(connectionString);
    private readonly BlobServiceClient _blobs = new(connectionString);
    private readonly AzureStorageOptions _options = new() { ConnectionString = connectionString, NamePrefix = prefix };

    /// <summary>The queue of ready steps.</summary>
    public QueueClient StepsQueue { get; } = new QueueServiceClient(connectionString).GetQueueClient(prefix + "-orchest-steps");

    /// <summary>The run store as the hosts see it (decoded rows, events).</summary>
    public TableRunStore RunStore() => new(new OrchestStorageAccount(_options));

    /// <summary>Every entity of every table of this test, with its table name.</summary>
    public async Task<IReadOnlyList<(string Table, TableEntity Entity)>> AllEntitiesAsync()
    {
        var found = new List<(string, TableEntity)>();
        await foreach (var table in _tables.QueryAsync(t => t.Name.CompareTo(prefix) >= 0))
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
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

    /// <summary>Every blob of this test's containers: container, name and raw bytes.</summary>
    public async Task<IReadOnlyList<(string Container, string Name, byte[] Content)>> AllBlobsAsync()
    {
        var found = new List<(string, string, byte[])>();
        foreach (var name in new[] { prefix + "-orchest", prefix + "-orchest-state" })
        {
            var container = _blobs.GetBlobContainerClient(name);
            if (!await container.ExistsAsync())
            {
                continue;
            }

            await foreach (var blob in container.GetBlobsAsync())
            {
                var content = await container.GetBlobClient(blob.Name).DownloadContentAsync();
                found.Add((name, blob.Name, content.Value.Content.ToArray()));
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

    /// <summary>Deletes this test's tables, queue and containers.</summary>
    public async Task DeleteAllAsync()
    {
        try
        {
            await new OrchestStorageAccount(_options).DeleteAllAsync();
            await _tables.DeleteTableAsync(prefix + "orchestprojects");
        }
        catch (Azure.RequestFailedException)
        {
            // Never created (the test failed early) or already gone.
        }
    }
}
