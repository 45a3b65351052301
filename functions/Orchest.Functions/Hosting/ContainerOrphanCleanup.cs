using Docker.DotNet;
using Orchest.Engine.Ports;
using Orchest.Runners.Docker;

namespace Orchest.Functions.Hosting;

/// <summary>
/// At start-up (docker runner), removes step containers whose run ended, is being cancelled or is
/// unknown: what a crashed host left behind. Containers of runs still in progress are left alone (their
/// steps run again elsewhere as new attempts; the run's end stops what is left).
/// </summary>
internal sealed class ContainerOrphanCleanup(DockerClient client, IRunProjection runs, ILogger<ContainerJanitor> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var janitor = new ContainerJanitor(client, logger);
        await janitor.RemoveOrphansAsync(
            async runId => await runs.IsStoppingAsync(runId, cancellationToken) is false,
            cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
