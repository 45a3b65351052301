using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Orchest.Pipelines.Services;

namespace Orchest.Runners.Docker.Services;

/// <summary>
/// Starts a run's pipeline services as containers, in <c>order</c>, before its first step. Each
/// declared port is published on 127.0.0.1 at a free host port, so steps (host network, the
/// default) reach it at <c>127.0.0.1:&lt;port&gt;</c> while runs at once never collide (a port another
/// process takes between its pick and the container's start is picked again). A service is
/// ready when all its ports accept connections; one that exits or is not ready in time fails the
/// start with its log, and whatever started is removed.
/// </summary>
public sealed class ServiceContainers(DockerClient client, DockerRunnerOptions options, EnvironmentImages images)
{
    /// <summary>The label naming the service a container runs (besides the run's labels).</summary>
    public const string ServiceLabel = "orchest.service";

    /// <summary>How long a service may take until its ports accept connections.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The host address ports are published on (<c>0.0.0.0</c>: every interface of the Docker host).</summary>
    public string PublishAddress { get; init; } = "127.0.0.1";

    /// <summary>Where steps reach the published ports (<c>internal_hostname</c>); readiness is checked there too.</summary>
    public string AdvertisedAddress { get; init; } = "127.0.0.1";

    /// <summary>How many times a service's container is made again on new host ports when one was taken before its start.</summary>
    internal const int PortAttempts = 5;

    /// <summary>A free host port (a test gives a taken one).</summary>
    internal Func<int> PickHostPort { get; init; } = FreePort;

    /// <summary>
    /// Starts every service of <paramref name="launch"/>; throws <see cref="ServiceStartException"/> (or
    /// <see cref="OperationCanceledException"/>) after removing what started, unless <paramref name="removeOnFailure"/>
    /// is false (the caller then removes them with <see cref="StopRunAsync"/>, which keeps their logs).
    /// A container left by an earlier start of the same run and service is replaced, never duplicated.
    /// </summary>
    public async Task<StartedServices> StartAsync(ServiceLaunch launch, bool removeOnFailure = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var started = new StartedServices(client, launch.LogDirectory);
        try
        {
            foreach (var service in launch.Services)
            {
                await StartOneAsync(launch, service, started, cancellationToken);
            }

            return started;
        }
        catch when (removeOnFailure)
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops (TERM, KILL after 3 s) and removes every service container of <paramref name="runId"/> in this
    /// installation, wherever it was started; <paramref name="keepLog"/> gets each one's whole output first.
    /// Idempotent: returns how many it removed (0 when none is left).
    /// </summary>
    public async Task<int> StopRunAsync(string runId, Func<string, IReadOnlyList<string>, Task> keepLog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keepLog);
        var removed = 0;
        foreach (var (id, name) in await ListAsync(runId, null, cancellationToken))
        {
            var container = new StepContainer(client, id);
            try
            {
                await container.StopAsync(TimeSpan.FromSeconds(3));
                await keepLog(name, await ServiceLogs.ReadAsync(client, id, tail: null, cancellationToken));
            }
            catch (DockerContainerNotFoundException)
            {
                continue;
            }

            if (await container.RemoveAsync())
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>The deterministic container name of a run's service (one per run and service).</summary>
    public static string ContainerName(string runId, string service) => $"orchest-{Safe(runId, 64)}-svc-{service}";

    /// <summary>Service containers of <paramref name="runId"/> in this installation (of one service when named): id and service name.</summary>
    private async Task<List<(string Id, string Name)>> ListAsync(string runId, string? service, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, bool> { [$"{ContainerLabels.Run}={runId}"] = true, [$"{ContainerLabels.Instance}={options.Instance}"] = true };
        if (service is not null)
        {
            labels[$"{ServiceLabel}={service}"] = true;
        }

        var containers = await client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels } },
            cancellationToken);
        return containers
            .Where(c => c.Labels is not null && c.Labels.ContainsKey(ServiceLabel))
            .Select(c => (c.ID, c.Labels[ServiceLabel]))
            .ToList();
    }

    private async Task StartOneAsync(ServiceLaunch launch, PipelineService service, StartedServices started, CancellationToken cancellationToken)
    {
        var image = await ImageAsync(launch, service, cancellationToken);
        IReadOnlyList<string> args;
        try
        {
            args = ArgumentSplitter.Split(service.Args);
        }
        catch (FormatException ex)
        {
            throw new ServiceStartException(service.Name, $"Service \"{service.Name}\": its args cannot be split: {ex.Message}.", []);
        }

        // A retried start (its host died, or its activity ran again) replaces what the earlier one left.
        foreach (var (stale, _) in await ListAsync(launch.RunId, service.Name, cancellationToken))
        {
            await new StepContainer(client, stale).RemoveAsync();
        }

        for (var attempt = 1; ; attempt++)
        {
            var hostPorts = service.Ports.ToDictionary(p => p, _ => PickHostPort());
            var spec = Spec(launch, service, image, args, hostPorts);
            string id;
            try
            {
                id = (await client.Containers.CreateContainerAsync(spec, CancellationToken.None)).ID;
            }
            catch (DockerApiException ex)
            {
                throw new ServiceStartException(service.Name, $"Service \"{service.Name}\": the Docker Engine API refused its container: {(int)ex.StatusCode} {ex.ResponseBody?.Trim()}", []);
            }

            started.Add(service.Name, id, ServiceDescription.Of(service, AdvertisedAddress, service.Ports.Select(p => hostPorts[p]).ToList()));
            await using var output = await ServiceStartOutput.AttachAsync(client, id);
            try
            {
                await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken);
            }
            catch (DockerApiException ex) when (attempt < PortAttempts && PortTaken(ex))
            {
                // Another process bound a picked port between its pick and this start: new ports, a new container.
                await started.RemoveAsync(id);
                continue;
            }
            catch (DockerApiException ex)
            {
                var reason = PortTaken(ex) ? $" (its host ports were taken {PortAttempts} times in a row)" : "";
                throw new ServiceStartException(
                    service.Name, $"Service \"{service.Name}\" did not start{reason}: {(int)ex.StatusCode} {ex.ResponseBody?.Trim()}", await TailAsync(id, output));
            }

            await WaitReadyAsync(service, id, hostPorts, output, cancellationToken);
            return;
        }
    }

    private static bool PortTaken(DockerApiException ex) =>
        ex.ResponseBody?.Contains("address already in use", StringComparison.OrdinalIgnoreCase) == true;

    private async Task<string> ImageAsync(ServiceLaunch launch, PipelineService service, CancellationToken cancellationToken)
    {
        if (service.EnvironmentUuid is { } uuid)
        {
            if (!launch.Environments.TryGetValue(uuid, out var environment))
            {
                throw new ServiceStartException(service.Name, $"Service \"{service.Name}\": environment \"{uuid}\" does not exist in the project.", []);
            }

            try
            {
                return (await images.ResolveAsync(environment, cancellationToken)).Tag;
            }
            catch (EnvironmentImageException ex)
            {
                throw new ServiceStartException(service.Name, $"Service \"{service.Name}\": {ex.Message}", ex.LogTail);
            }
        }

        try
        {
            await client.Images.InspectImageAsync(service.Image, cancellationToken);
            return service.Image;
        }
        catch (DockerImageNotFoundException)
        {
            // No registry is reachable from these hosts (and pulling at run time would make runs depend on one).
            throw new ServiceStartException(
                service.Name,
                $"Service \"{service.Name}\": image \"{service.Image}\" is not on the Docker host ({options.Endpoint}) and is not pulled; "
                + "load or build it there first (e.g. podman pull/load/build), or use environment@<uuid>.",
                []);
        }
    }

    private CreateContainerParameters Spec(ServiceLaunch launch, PipelineService service, string image, IReadOnlyList<string> args, Dictionary<int, int> hostPorts)
    {
        var environment = new Dictionary<string, string>(service.EnvironmentVariables, StringComparer.Ordinal);
        foreach (var name in service.InheritedVariables)
        {
            if (launch.RunVariables.TryGetValue(name, out var value))
            {
                environment[name] = value;
            }
        }

        environment["ORCHEST_PROJECT_UUID"] = launch.ProjectId;
        environment["ORCHEST_PIPELINE_UUID"] = launch.PipelineUuid;
        environment["ORCHEST_PIPELINE_PATH"] = launch.PipelinePath;
        environment["ORCHEST_SESSION_UUID"] = launch.RunId;
        environment["ORCHEST_SESSION_TYPE"] = "noninteractive";

        var binds = new List<string>();
        if (service.Binds.TryGetValue("/data", out var data))
        {
            Directory.CreateDirectory(launch.DataDirectory);
            binds.Add($"{launch.DataDirectory}:{data}");
        }

        if (service.Binds.TryGetValue("/project-dir", out var project))
        {
            binds.Add($"{launch.WorkspaceRoot}:{project}");
        }

        var labels = new Dictionary<string, string>(options.Labels, StringComparer.Ordinal)
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Run] = launch.RunId,
            [ContainerLabels.Pipeline] = launch.PipelineUuid,
            [ContainerLabels.Project] = launch.ProjectId,
            [ContainerLabels.Instance] = options.Instance,
            [ContainerLabels.Host] = InstallationIdentity.CurrentHost,
            [ServiceLabel] = service.Name,
        };
        return new CreateContainerParameters
        {
            Name = ContainerName(launch.RunId, service.Name),
            Image = image,
            Entrypoint = service.Command.Length > 0 ? [service.Command] : null,
            Cmd = args.Count > 0 ? args.ToList() : null,
            Env = environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            Labels = labels,
            ExposedPorts = hostPorts.Keys.ToDictionary(p => $"{p}/tcp", _ => new EmptyStruct()),
            HostConfig = new HostConfig
            {
                Binds = binds,
                Init = true,
                PortBindings = hostPorts.ToDictionary(
                    p => $"{p.Key}/tcp",
                    p => (IList<PortBinding>)[new PortBinding { HostIP = PublishAddress, HostPort = p.Value.ToString(CultureInfo.InvariantCulture) }]),
            },
        };
    }

    private async Task WaitReadyAsync(PipelineService service, string id, Dictionary<int, int> hostPorts, ServiceStartOutput output, CancellationToken cancellationToken)
    {
        var began = Stopwatch.GetTimestamp();
        var waiting = new HashSet<int>(hostPorts.Keys);
        while (true)
        {
            foreach (var port in waiting.ToList())
            {
                if (await AcceptsAsync(AdvertisedAddress, hostPorts[port], cancellationToken))
                {
                    waiting.Remove(port);
                }
            }

            if (waiting.Count == 0)
            {
                return;
            }

            var state = (await client.Containers.InspectContainerAsync(id, cancellationToken)).State;
            if (!state.Running)
            {
                throw new ServiceStartException(
                    service.Name, $"Service \"{service.Name}\" exited with code {state.ExitCode} before it was ready (port {string.Join(", ", waiting)}).", await TailAsync(id, output));
            }

            if (Stopwatch.GetElapsedTime(began) > ReadyTimeout)
            {
                throw new ServiceStartException(
                    service.Name,
                    $"Service \"{service.Name}\" was not ready after {ReadyTimeout.TotalSeconds:0} s: nothing accepts connections on port {string.Join(", ", waiting)} inside its container.",
                    await TailAsync(id, output));
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<bool> AcceptsAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(host, port, attempt.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>The container's last log lines; when the engine's log reads empty, what the attach before its start captured.</summary>
    private async Task<IReadOnlyList<string>> TailAsync(string id, ServiceStartOutput output)
    {
        try
        {
            // Podman's log file can trail a container that just exited (seconds on a loaded machine): read again while empty, up to 2 s.
            for (var attempt = 1; attempt <= 10; attempt++)
            {
                var lines = await ServiceLogs.ReadAsync(client, id, tail: 50);
                if (lines.Count > 0)
                {
                    return lines;
                }

                await Task.Delay(200);
            }
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException)
        {
            // The captured output below.
        }

        return await output.LinesAsync(TimeSpan.FromSeconds(2));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Safe(string value, int length)
    {
        var safe = new string(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').ToArray());
        return safe.Length == 0 ? "x" : safe[..Math.Min(length, safe.Length)];
    }
}
