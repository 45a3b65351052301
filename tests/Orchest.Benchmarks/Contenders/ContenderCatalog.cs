using Orchest.Benchmarks.Measuring;

namespace Orchest.Benchmarks.Contenders;

/// <summary>Every contender, in table order: orchest first (embedded, served, containers), then the peers, then the raw bounds.</summary>
public static class ContenderCatalog
{
    /// <summary>The contenders and what they share (the served host, started on first use), stopped when the set is disposed.</summary>
    public static ContenderSet Create(BenchmarkOptions options)
    {
        var sdk = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.OrchestPath))!, "sdk", "python");
        var served = new ServedHost(ServedEngine.Durable, options.OrchestPath, null, options.AzuriteConnectionString, options.Parallelism);
        var servedUnsandboxed = new ServedHost(
            ServedEngine.DurableUnsandboxed, options.OrchestPath, null, options.AzuriteConnectionString, options.Parallelism);
        var servedV1 = new ServedHost(
            ServedEngine.TablesAndQueues, options.OrchestV1Path, options.OrchestV1Unavailable, options.AzuriteConnectionString, options.Parallelism);
        var storage = new StorageProcesses(options.AzuriteConnectionString);
        var durableTask = new RawDurableTaskContender(options.AzuriteConnectionString, storage, options.Parallelism);
        var podman = Executables.Find("podman");
        return new ContenderSet(
        [
            new OrchestCliContender(options.OrchestPath),
            new OrchestUnsandboxedContender(options.OrchestPath),
            new OrchestEngineContender(noOpRunner: false, sdk),
            new OrchestEngineContender(noOpRunner: true, sdk),
            // Each engine's row right after the other's, so old and new read side by side.
            new OrchestServedContender(served, storage, warm: false, options.TriggerIdle),
            new OrchestServedContender(servedV1, storage, warm: false, options.TriggerIdle),
            new OrchestServedContender(servedUnsandboxed, storage, warm: false, options.TriggerIdle),
            new OrchestServedContender(served, storage, warm: true, options.TriggerIdle),
            new OrchestServedContender(servedV1, storage, warm: true, options.TriggerIdle),
            new OrchestDockerContender(options.OrchestPath, options.DockerHost, podman),
            new MakeContender(),
            new SnakemakeContender(),
            new RawShellContender(),
            new RawDotnetContender(),
            new RawPodmanContender(podman, options.DockerHost),
            durableTask,
        ], served, servedV1, servedUnsandboxed, durableTask);
    }
}

/// <summary>The contenders of one session and the resources they share.</summary>
public sealed class ContenderSet(IReadOnlyList<IContender> all, params IAsyncDisposable[] shared) : IAsyncDisposable
{
    public IReadOnlyList<IContender> All => all;

    public async ValueTask DisposeAsync()
    {
        foreach (var resource in shared)
        {
            await resource.DisposeAsync();
        }
    }
}
