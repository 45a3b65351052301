using System.Net;
using System.Net.Sockets;
using Orchest.Pipelines.Services;
using Orchest.Runners.Docker.Services;
using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

/// <summary>
/// Service containers as served runs use them: a start again (a retried activity) replaces what the
/// earlier one left, never duplicates it; a stop keeps each log and finds nothing the second time.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ServiceContainersTests(DockerEngineFixture engine) : IAsyncLifetime
{
    private readonly DockerTestContext _docker = new(engine);
    private readonly string _folder = Directory.CreateTempSubdirectory("orchest-services-").FullName;

    [Fact]
    public async Task StartAsync_SameRunTwice_ReplacesItsContainer_StopRunKeepsTheLogAndIsIdempotent()
    {
        var runId = "run-" + _docker.TestId;
        var options = _docker.Options(o => o.Instance = $"{InstallationIdentity.Default}/services-{_docker.TestId}");
        using var images = new EnvironmentImages(_docker.Client, options);
        var containers = new ServiceContainers(_docker.Client, options, images);
        var launch = Launch(runId);

        await containers.StartAsync(launch, removeOnFailure: false);
        var again = await containers.StartAsync(launch, removeOnFailure: false);

        var redis = Assert.Single(await _docker.ContainersAsync(ContainerLabels.Run, runId));
        Assert.Equal(again.Containers["redis"], redis.ID);
        Assert.Equal("/" + ServiceContainers.ContainerName(runId, "redis"), Assert.Single(redis.Names));
        var port = (int)again.Describe()["redis"]!["ports"]![0]!;
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", port);
        }

        var kept = new Dictionary<string, IReadOnlyList<string>>();
        var removed = await containers.StopRunAsync(runId, (name, lines) => { kept[name] = lines; return Task.CompletedTask; });

        Assert.Equal(1, removed);
        Assert.Contains(kept["redis"], line => line.Contains("Ready to accept connections", StringComparison.Ordinal));
        Assert.Empty(await _docker.ContainersAsync(ContainerLabels.Run, runId));
        Assert.Equal(0, await containers.StopRunAsync(runId, (_, _) => throw new InvalidOperationException("nothing is left to keep")));
    }

    [Fact]
    public async Task StartAsync_PickedPortTakenBeforeTheStart_StartsAgainOnAnotherPort()
    {
        var runId = "run-" + _docker.TestId;
        var options = _docker.Options(o => o.Instance = $"{InstallationIdentity.Default}/services-{_docker.TestId}");
        using var images = new EnvironmentImages(_docker.Client, options);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var picks = 0;
        var containers = new ServiceContainers(_docker.Client, options, images) { PickHostPort = () => ++picks == 1 ? takenPort : FreePort.Next() };

        var started = await containers.StartAsync(Launch(runId), removeOnFailure: false);

        var port = (int)started.Describe()["redis"]!["ports"]![0]!;
        Assert.Equal(2, picks);
        Assert.NotEqual(takenPort, port);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", port);
        }

        var redis = Assert.Single(await _docker.ContainersAsync(ContainerLabels.Run, runId));
        Assert.Equal(started.Containers["redis"], redis.ID);
        Assert.Equal(1, await containers.StopRunAsync(runId, (_, _) => Task.CompletedTask));
    }

    [Fact]
    public async Task StartAsync_PickedPortsTakenEveryTime_FailsSayingSoAndLeavesNoContainer()
    {
        var runId = "run-" + _docker.TestId;
        var options = _docker.Options(o => o.Instance = $"{InstallationIdentity.Default}/services-{_docker.TestId}");
        using var images = new EnvironmentImages(_docker.Client, options);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var picks = 0;
        var containers = new ServiceContainers(_docker.Client, options, images) { PickHostPort = () => { picks++; return takenPort; } };

        var error = await Assert.ThrowsAsync<ServiceStartException>(() => containers.StartAsync(Launch(runId)));

        Assert.Equal(ServiceContainers.PortAttempts, picks);
        Assert.StartsWith($"Service \"redis\" did not start (its host ports were taken {ServiceContainers.PortAttempts} times in a row): 500 ", error.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _docker.ContainersAsync(ContainerLabels.Run, runId));
    }

    [Fact]
    public async Task Dispose_ContainerRemovedBehindItsBack_StillWritesTheLogFileSayingWhatFailed()
    {
        var runId = "run-" + _docker.TestId;
        var options = _docker.Options(o => o.Instance = $"{InstallationIdentity.Default}/services-{_docker.TestId}");
        using var images = new EnvironmentImages(_docker.Client, options);
        var containers = new ServiceContainers(_docker.Client, options, images);
        var started = await containers.StartAsync(Launch(runId), removeOnFailure: false);
        await _docker.Client.Containers.RemoveContainerAsync(started.Containers["redis"], new() { Force = true });

        await started.DisposeAsync();

        var log = await File.ReadAllLinesAsync(Path.Combine(_folder, "logs", "redis.log"));
        var last = Assert.Single(log);
        Assert.StartsWith("[orchest] service redis: reading its log failed (", last, StringComparison.Ordinal);
        Assert.EndsWith("); this log may be incomplete.", last, StringComparison.Ordinal);
        Assert.Empty(await _docker.ContainersAsync(ContainerLabels.Run, runId));
    }

    [Fact]
    public void Options_BadValues_NameEachSetting()
    {
        var options = new ServiceOptions { AdvertisedAddress = "not a host", PublishAddress = "everywhere", ReadyTimeout = TimeSpan.Zero, SweepInterval = TimeSpan.Zero };

        Assert.Equal(
            [
                "Orchest:Services:AdvertisedAddress \"not a host\" is not a host name or IP address.",
                "Orchest:Services:PublishAddress \"everywhere\" is not an IP address (e.g. 127.0.0.1 or 0.0.0.0).",
                "Orchest:Services:ReadyTimeout must be positive (e.g. 00:01:00).",
                "Orchest:Services:SweepInterval must be positive (e.g. 00:05:00).",
            ],
            options.Validate());
        Assert.Empty(new ServiceOptions { AdvertisedAddress = "docker-host.internal", PublishAddress = "0.0.0.0" }.Validate());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit v2 calls IAsyncLifetime on a test class, never IAsyncDisposable.
    public async Task DisposeAsync()
    {
        await _docker.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private ServiceLaunch Launch(string runId) => new()
    {
        RunId = runId,
        ProjectId = "project",
        PipelineUuid = "pipeline",
        PipelinePath = "/project-dir/main.orchest",
        WorkspaceRoot = _folder,
        DataDirectory = Path.Combine(_folder, "data"),
        LogDirectory = Path.Combine(_folder, "logs"),
        Services =
        [
            new PipelineService { Name = "redis", Image = "orchest/redis:local", Ports = [6379], Scope = ["noninteractive"] },
        ],
    };
}
