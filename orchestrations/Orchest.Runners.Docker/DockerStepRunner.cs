using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchest.Engine.Ports;

namespace Orchest.Runners.Docker;

/// <summary>
/// Runs a step in a container through the Docker Engine API (DESIGN §6): the environment's image
/// (built once per content hash), the run's working copy at <c>/project-dir</c>, the data folder at
/// <c>/data</c>, working directory = the step file's folder, the same command per file kind as the
/// process runner, output streamed line by line. Cancelling stops the container (TERM, KILL after the
/// grace period); the call returns once the container is removed.
/// </summary>
public sealed partial class DockerStepRunner : IStepRunner, IDisposable
{
    private readonly DockerClient _client;
    private readonly DockerRunnerOptions _options;
    private readonly ILogger _logger;
    private readonly WritableFolders _writable = new();
    private readonly bool _ownsClient;
    private readonly bool _ownsImages;

    /// <summary>A runner with its own client and image cache for <see cref="DockerRunnerOptions.Endpoint"/>.</summary>
    public DockerStepRunner(DockerRunnerOptions options, ILoggerFactory? loggers = null)
        : this(DockerEndpoint.CreateClient(options.Endpoint), options, null, loggers)
    {
        _ownsClient = true;
    }

    /// <summary>A runner sharing <paramref name="client"/> (and <paramref name="images"/>, when given) with other parts of a host.</summary>
    public DockerStepRunner(DockerClient client, DockerRunnerOptions options, EnvironmentImages? images = null, ILoggerFactory? loggers = null)
    {
        _client = client;
        _options = options;
        _logger = loggers?.CreateLogger<DockerStepRunner>() ?? (ILogger)NullLogger.Instance;
        _ownsImages = images is null;
        Images = images ?? new EnvironmentImages(client, options, loggers?.CreateLogger<EnvironmentImages>());
    }

    public string Name => "docker";

    /// <summary>The environment images this runner uses (build logs, build count).</summary>
    public EnvironmentImages Images { get; }

    public async Task<StepExit> RunAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunCheckedAsync(launch, log, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while preparing (e.g. waiting for an environment build): no container was started.
            return new StepExit(143, "stopped before the container started", Stopped: true);
        }
    }

    private async Task<StepExit> RunCheckedAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken)
    {
        if (await CheckLaunchAsync(launch, log, cancellationToken) is { } refused)
        {
            return refused;
        }

        var paths = ContainerPaths.For(launch);
        var resources = StepResources.For(launch, _options, out var resourceProblem);
        if (resourceProblem is not null)
        {
            return await RefuseAsync(log, $"Step \"{launch.StepTitle}\": {resourceProblem}", 1, cancellationToken);
        }

        EnvironmentImage image;
        try
        {
            image = await Images.ResolveAsync(launch.Environment, cancellationToken);
        }
        catch (EnvironmentImageException ex)
        {
            foreach (var line in ex.LogTail)
            {
                await log.WriteLineAsync(line, cancellationToken);
            }

            return await RefuseAsync(log, ex.Message, 1, cancellationToken);
        }
        catch (Exception ex) when (IsEngineError(ex))
        {
            return await RefuseAsync(log, EngineProblem(ex), 1, cancellationToken);
        }

        if (image.Built)
        {
            await log.WriteLineAsync($"[orchest] built environment image {image.Tag} in {image.LookupTime.TotalSeconds:0.0} s (build log: {image.BuildLogPath})", cancellationToken);
        }

        await PrepareFilesAsync(launch, paths, cancellationToken);
        return await RunContainerAsync(launch, log, paths, resources, image, cancellationToken);
    }

    public void Dispose()
    {
        if (_ownsImages)
        {
            Images.Dispose();
        }

        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task<StepExit> RunContainerAsync(
        StepLaunch launch, IStepLog log, ContainerPaths paths, StepResources resources, EnvironmentImage image, CancellationToken cancellationToken)
    {
        StepContainer container;
        try
        {
            // Not cancellable: a create cancelled midway could leave a container nobody knows the id of.
            var created = await _client.Containers.CreateContainerAsync(ContainerSpec(launch, paths, resources, image), CancellationToken.None);
            container = new StepContainer(_client, created.ID);
        }
        catch (Exception ex) when (IsEngineError(ex))
        {
            return await RefuseAsync(log, EngineProblem(ex), 1, cancellationToken);
        }

        try
        {
            return await RunStartedAsync(launch, log, container, resources, image, cancellationToken);
        }
        catch (Exception ex) when (IsEngineError(ex))
        {
            return await RefuseAsync(log, EngineProblem(ex), 1, CancellationToken.None);
        }
        finally
        {
            if (!await container.RemoveAsync())
            {
                Logs.ContainerNotRemoved(_logger, container.Id, new InvalidOperationException("remove failed three times"));
            }
        }
    }

    private async Task<StepExit> RunStartedAsync(
        StepLaunch launch, IStepLog log, StepContainer container, StepResources resources, EnvironmentImage image, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new StepExit(143, "stopped before the container started", Stopped: true);
        }

        // Attach before start, so no output is lost; the stream ends when the container exits.
        using var output = await container.AttachAsync(CancellationToken.None);
        var pump = ContainerOutput.PumpAsync(output, log, CancellationToken.None);
        await container.StartAsync(CancellationToken.None);
        Logs.ContainerStarted(_logger, launch.RunId, launch.StepUuid, launch.Attempt, container.Id, image.Tag);

        Task? stopping = null;
        var registration = cancellationToken.Register(() =>
        {
            Logs.ContainerStopping(_logger, launch.RunId, launch.StepUuid, launch.Attempt, container.Id);
            stopping = container.StopAsync(_options.KillGracePeriod);
        });
        try
        {
            await pump;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or HttpRequestException)
        {
            // The output connection broke; the container's state still tells how it ended.
        }

        // After this the callback has either run to the point of starting the stop, or never will.
        await registration.DisposeAsync();
        try
        {
            if (stopping is not null)
            {
                await stopping;
            }

            var state = await container.WaitExitedAsync(CancellationToken.None);
            return cancellationToken.IsCancellationRequested
                ? new StepExit((int)state.ExitCode, "stopped", Stopped: true)
                : Explain(state, log, resources);
        }
        catch (DockerContainerNotFoundException)
        {
            return new StepExit(137, "the step's container was removed while it ran", cancellationToken.IsCancellationRequested);
        }
    }

    /// <summary>The exit, with a one-line reason when the exit code alone would mislead.</summary>
    private static StepExit Explain(ContainerState state, IStepLog log, StepResources resources)
    {
        var code = (int)state.ExitCode;
        if (state.OOMKilled || (code == 137 && resources.MemoryBytes is not null))
        {
            // Podman on cgroup v1 reports an OOM kill as a plain 137 (OOMKilled stays false).
            return new StepExit(code, $"killed (exit {code}); it may have run out of memory (limit {resources.MemoryBytes / (1 << 20)} MiB)");
        }

        // catatonit (the init process) reports an interpreter missing from the image this way; the
        // process runner's code for a missing interpreter is 127.
        if (code == 1 && log.Tail(3).Any(l => l.Contains("failed to exec pid1", StringComparison.Ordinal)))
        {
            return new StepExit(127, "the interpreter for this step file is not in the image; install it in the environment's setup script");
        }

        return new StepExit(code);
    }
}
