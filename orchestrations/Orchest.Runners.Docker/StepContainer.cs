using System.Diagnostics;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchest.Runners.Docker;

/// <summary>
/// One created container: attach, start, wait, stop, remove. Waiting polls inspect (every 20 ms at
/// first): right after the output stream ends a container may still be "running" for a moment, and
/// <c>/wait</c> costs ~300 ms more on podman.
/// </summary>
internal sealed class StepContainer(DockerClient client, string id)
{
    public string Id { get; } = id;

    public Task<MultiplexedStream> AttachAsync(CancellationToken cancellationToken) =>
        client.Containers.AttachContainerAsync(
            Id, tty: false, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) =>
        client.Containers.StartContainerAsync(Id, new ContainerStartParameters(), cancellationToken);

    /// <summary>Polls until the container is not running; its final state.</summary>
    public async Task<ContainerState> WaitExitedAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var state = (await client.Containers.InspectContainerAsync(Id, cancellationToken)).State;
            if (!state.Running && state.Status is not ("created" or "configured" or "initialized" or "stopping"))
            {
                return state;
            }

            // Fast while an exit is imminent; a container still running after seconds is a long step.
            await Task.Delay(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(2) ? 20 : 250, cancellationToken);
        }
    }

    /// <summary>TERM (the init process forwards it), KILL after <paramref name="grace"/>; returns when it is not running.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!await SignalAsync("TERM"))
        {
            return;
        }

        using (var deadline = new CancellationTokenSource(grace))
        {
            try
            {
                await WaitExitedAsync(deadline.Token);
                return;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                // Still running after the grace period.
            }
        }

        await SignalAsync("KILL");
        using var killed = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await WaitExitedAsync(killed.Token);
    }

    /// <summary>Removes the container (force: also when it still runs); false when that failed.</summary>
    public async Task<bool> RemoveAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.Containers.RemoveContainerAsync(Id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
                return true;
            }
            catch (DockerContainerNotFoundException)
            {
                return true;
            }
            catch (DockerApiException) when (attempt < 3)
            {
                // e.g. "removal already in progress" or a container that is still stopping.
                await Task.Delay(100 * attempt);
            }
            catch (DockerApiException)
            {
                return false;
            }
        }
    }

    /// <summary>False when there is nothing to signal (already exited or gone).</summary>
    private async Task<bool> SignalAsync(string signal)
    {
        try
        {
            await client.Containers.KillContainerAsync(Id, new ContainerKillParameters { Signal = signal }, CancellationToken.None);
            return true;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.InternalServerError)
        {
            // Not running (Docker 409; podman 500 "can only kill running containers").
            return false;
        }
    }
}
