namespace Orchest.Testing;

/// <summary>
/// The <c>orchest serve</c> arguments of a test host: a test's own storage prefix on the shared Azurite,
/// its own git cache and data folder, and a task hub with short leases and visibility timeouts (a test
/// must not wait minutes for a failover). Settings given later on the command line win.
/// </summary>
public static class ServedHostArguments
{
    public static string[] For(string roles, string connectionString, string prefix, string folder, string hostId) =>
    [
        "--roles", roles,
        $"--AzureWebJobsStorage={connectionString}",
        $"--Orchest:Storage:NamePrefix={prefix}",
        $"--Orchest:Storage:LocalDirectory={Path.Combine(folder, "served")}",
        $"--Orchest:Git:CacheDirectory={Path.Combine(folder, "git")}",
        $"--Orchest:Git:DataDirectory={Path.Combine(folder, "data")}",
        $"--Orchest:Steps:HostId={hostId}",
        "--Orchest:TaskHub:PartitionCount=2",
        "--Orchest:TaskHub:WorkItemVisibilityTimeout=00:00:06",
        "--Orchest:TaskHub:ControlQueueVisibilityTimeout=00:00:06",
        "--Orchest:TaskHub:LeaseInterval=00:00:04",
        "--Orchest:TaskHub:LeaseRenewInterval=00:00:01",
        "--Orchest:TaskHub:LeaseAcquireInterval=00:00:01",
        "--Orchest:TaskHub:ProgressInterval=00:00:00.300",
    ];
}
