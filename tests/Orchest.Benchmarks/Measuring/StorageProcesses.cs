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

    /// <summary>The ports of the connection string's loopback endpoints (<c>BlobEndpoint=http://127.0.0.1:10000/account;...</c>).</summary>
    public static IReadOnlyCollection<int> LocalPorts(string connectionString)
    {
        var ports = new HashSet<int>();
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals > 0
                && part[..equals].EndsWith("Endpoint", StringComparison.OrdinalIgnoreCase)
                && Uri.TryCreate(part[(equals + 1)..], UriKind.Absolute, out var uri)
                && uri.IsLoopback)
            {
                ports.Add(uri.Port);
            }
        }

        return ports;
    }
}
