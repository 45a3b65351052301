using Docker.DotNet;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Runners.Docker;

namespace Orchest.Functions.Hosting;

/// <summary>
/// At start-up (docker runner), removes step containers whose run ended or is unknown: what a crashed
/// host left behind. Containers of runs still in progress are left to their steps' leases.
/// </summary>
internal sealed class ContainerOrphanCleanup(DockerClient client, IRunStore store, ILogger<ContainerJanitor> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var janitor = new ContainerJanitor(client, logger);
        await janitor.RemoveOrphansAsync(
            async runId => await store.GetAsync(runId, cancellationToken) is { } run && !run.Run.Status.IsTerminal(),
            cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
