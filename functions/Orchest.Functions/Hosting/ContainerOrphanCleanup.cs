using Docker.DotNet;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Runners.Docker;
using Orchest.Runners.Docker.Services;

namespace Orchest.Functions.Hosting;

/// <summary>
/// At start-up (docker runner), removes step and service containers whose run ended, is being cancelled
/// or is unknown: what a crashed host left behind. Containers of runs still in progress are left alone
/// (their steps run again elsewhere as new attempts; the run's end stops what is left). Then, every
/// <see cref="ServiceOptions.SweepInterval"/>, removes the service containers of runs that have ended:
/// what a run's own clean-up (its StopRunServices activity) could not remove.
/// </summary>
internal sealed class ContainerOrphanCleanup(
    DockerClient client, DockerRunnerOptions docker, ServiceOptions services, IRunProjection runs, ILogger<ContainerJanitor> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _sweeps = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var janitor = new ContainerJanitor(client, docker.Instance, logger);
        await janitor.RemoveOrphansAsync(
            async runId => await runs.IsStoppingAsync(runId, cancellationToken) is false,
            cancellationToken);
        _sweeps = SweepAsync(janitor, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _sweeps;
    }

    public void Dispose() => _stopping.Dispose();

    private async Task SweepAsync(ContainerJanitor janitor, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(services.SweepInterval, stopping);
                await janitor.RemoveServicesOfEndedRunsAsync(
                    async runId => (await runs.GetAsync(runId, stopping))?.Run.Status.IsTerminal() == true, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or Storage.Azure.AzureStorageException)
            {
                // The engine or storage is away: the next sweep tries again.
                HostLogs.ServiceSweepFailed(logger, ex);
            }
        }
    }
}
