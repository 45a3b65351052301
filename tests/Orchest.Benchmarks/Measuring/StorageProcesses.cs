using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Orchest.Benchmarks.Measuring;

/// <summary>
/// The processes serving a storage connection string on this machine (a local Azurite: one process, or one per
/// service): those listening on its blob, queue and table endpoints' ports. Found once, on first use.
/// </summary>
public sealed class StorageProcesses(string? connectionString)
{
    private IReadOnlyList<int>? _pids;

    /// <summary>Empty when there is no connection string, its endpoints are not local, or no process could be inspected.</summary>
    public IReadOnlyList<int> Pids => _pids ??= connectionString is null ? [] : ProcessCpu.Listening(LocalPorts(connectionString));

    /// <summary>
    /// The ports of the connection string's loopback endpoints, as the storage SDK reads them (<c>UseDevelopmentStorage=true</c>
    /// too); none for a string the SDK cannot read (the served contenders then say what is wrong).
    /// </summary>
    private static HashSet<int> LocalPorts(string connectionString)
    {
        try
        {
            return new[]
            {
                new BlobServiceClient(connectionString).Uri,
                new QueueServiceClient(connectionString).Uri,
                new TableServiceClient(connectionString).Uri,
            }.Where(u => u.IsLoopback).Select(u => u.Port).ToHashSet();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return [];
        }
    }
}
