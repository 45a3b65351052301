using Microsoft.Extensions.Logging;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Durable;

/// <summary>
/// What the run-services activities do on this host: start a run's services with this host's
/// <see cref="IRunServices"/> (stopping early when the run is cancelled meanwhile), stop them when it ends.
/// A host whose steps run as processes has no <see cref="IRunServices"/>: its start reports why.
/// </summary>
public sealed class RunServiceHost(
    IRunDefinitions definitions, IRunProjection projection, StepHostOptions options, ILogger<RunServiceHost> logger, IRunServices? services = null)
{
    public async Task<RunServicesStart> StartAsync(RunRecord run)
    {
        if (services is null)
        {
            return new RunServicesStart([], "this host runs steps as processes and cannot start pipeline services; set Orchest:Runner=docker on the hosts with the worker role.");
        }

        var definition = await definitions.ReadAsync(run.Id) ?? throw new RunNotFoundException(run.Id);
        using var cancelled = new CancellationTokenSource();
        var watch = WatchCancelAsync(run.Id, cancelled);
        try
        {
            var started = await services.StartAsync(run, definition, cancelled.Token);
            if (started.Failure is { } failure)
            {
                Logs.ServicesFailed(logger, run.Id, failure);
            }
            else
            {
                Logs.ServicesReady(logger, run.Id, started.Services.Count);
            }

            return started;
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            // The run's orchestration removes what started (its stop waits for this start to end).
            return new RunServicesStart([], "the run was cancelled while its services started");
        }
        finally
        {
            await cancelled.CancelAsync();
            await watch;
        }
    }

    public async Task<int> StopAsync(string runId) => services is null ? 0 : await services.StopAsync(runId);

    /// <summary>Cancels <paramref name="cancelled"/> when the run must stop (a cancel was asked for), until it is cancelled otherwise.</summary>
    private async Task WatchCancelAsync(string runId, CancellationTokenSource cancelled)
    {
        try
        {
            while (!cancelled.IsCancellationRequested)
            {
                await Task.Delay(options.StopPollInterval, cancelled.Token);
                if (await projection.IsStoppingAsync(runId, cancelled.Token) is true)
                {
                    await cancelled.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Started, failed or cancelled: nothing left to watch.
        }
        catch (Exception ex)
        {
            // Storage unavailable: the start goes on; a cancel then waits for it to end.
            Logs.StopCheckFailed(logger, runId, ex);
        }
    }
}
