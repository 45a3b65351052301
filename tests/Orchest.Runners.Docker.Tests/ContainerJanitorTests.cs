using Docker.DotNet.Models;
using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

[Collection(DockerCollection.Name)]
public sealed class ContainerJanitorTests(DockerEngineFixture engine) : IAsyncLifetime
{
    private readonly DockerTestContext _docker = new(engine);

    /// <summary>
    /// An installation of this test's own, so no other container on the engine is judged; below the
    /// session's (infra/test.sh removes "&lt;instance&gt;/..." too, should a test die before its clean-up).
    /// </summary>
    private string Instance => $"{InstallationIdentity.Default}/janitor-{_docker.TestId}";

    private string OtherInstance => $"{InstallationIdentity.Default}/someone-else-{_docker.TestId}";

    [Fact]
    public async Task RemoveOrphansAsync_HostRestart_RemovesContainersOfFinishedAndUnknownRunsOnly()
    {
        var active = "run-active-" + _docker.TestId;
        var finished = "run-finished-" + _docker.TestId;
        await StartSleeperAsync(active);
        await StartSleeperAsync(finished);
        await StartSleeperAsync(runId: null);
        var janitor = new ContainerJanitor(_docker.Client, Instance);
        var asked = new List<string>();

        var removed = await janitor.RemoveOrphansAsync(run =>
        {
            asked.Add(run);
            return Task.FromResult(run == active);
        });

        var left = await _docker.ContainersAsync("orchest.test", _docker.TestId);
        Assert.Equal(2, removed);
        Assert.Equal(active, Assert.Single(left).Labels[ContainerLabels.Run]);
        Assert.Equal([active, finished], asked.Order(StringComparer.Ordinal));
        Assert.Equal(1, await janitor.RemoveRunContainersAsync(active));
        Assert.Empty(await _docker.ContainersAsync("orchest.test", _docker.TestId));
    }

    [Fact]
    public async Task RemoveOrphansAsync_ContainersOfOtherInstallationsOrOfALiveHost_AreNeverTouched()
    {
        var run = "run-unknown-" + _docker.TestId;
        await StartSleeperAsync(run, instance: OtherInstance);
        await StartSleeperAsync(run, instance: null);
        await StartSleeperAsync(run, host: InstallationIdentity.CurrentHost);
        await StartSleeperAsync(run, host: $"{Environment.MachineName}/{Environment.ProcessId}/1");
        var janitor = new ContainerJanitor(_docker.Client, Instance);

        var removed = await janitor.RemoveOrphansAsync(_ => Task.FromResult(false));
        var byRun = await janitor.RemoveRunContainersAsync("no-such-run-" + _docker.TestId);

        // Only the container whose creator is gone (same pid, another start time: a reused pid) went.
        Assert.Equal(1, removed);
        Assert.Equal(0, byRun);
        var left = await _docker.ContainersAsync("orchest.test", _docker.TestId);
        Assert.Equal(3, left.Count);
        Assert.Equal(1, left.Count(c => c.Labels.TryGetValue(ContainerLabels.Host, out var h) && h == InstallationIdentity.CurrentHost));
        Assert.Equal([OtherInstance], left.Where(c => c.Labels.ContainsKey(ContainerLabels.Instance) && c.Labels[ContainerLabels.Instance] != Instance)
            .Select(c => c.Labels[ContainerLabels.Instance]));
        Assert.Equal(1, left.Count(c => !c.Labels.ContainsKey(ContainerLabels.Instance)));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _docker.DisposeAsync().AsTask();

    /// <summary>A running container labelled like a step container of <paramref name="runId"/> (null: no run label).</summary>
    [Fact]
    public async Task RemoveServicesOfEndedRunsAsync_RemovesServiceContainersOfEndedRunsOnly_EvenOfALiveHost()
    {
        var ended = "run-ended-" + _docker.TestId;
        var going = "run-going-" + _docker.TestId;
        await StartSleeperAsync(ended, service: "redis", host: InstallationIdentity.CurrentHost);
        await StartSleeperAsync(ended);
        await StartSleeperAsync(going, service: "redis");
        await StartSleeperAsync(ended, instance: OtherInstance, service: "redis");
        var janitor = new ContainerJanitor(_docker.Client, Instance);

        var removed = await janitor.RemoveServicesOfEndedRunsAsync(run => Task.FromResult(run == ended));

        // The ended run's step container is the start-up clean-up's business; another installation's is never touched.
        Assert.Equal(1, removed);
        var left = (await _docker.ContainersAsync("orchest.test", _docker.TestId))
            .Select(c => (c.Labels[ContainerLabels.Run], c.Labels.ContainsKey(Services.ServiceContainers.ServiceLabel), c.Labels[ContainerLabels.Instance] == Instance))
            .Order().ToList();
        Assert.Equal([(ended, false, true), (ended, true, false), (going, true, true)], left);
    }

    private async Task StartSleeperAsync(string? runId, string? instance = "", string? host = null, string? service = null)
    {
        var labels = new Dictionary<string, string> { [ContainerLabels.Managed] = "true", ["orchest.test"] = _docker.TestId };
        if (service is not null)
        {
            labels[Services.ServiceContainers.ServiceLabel] = service;
        }

        if (runId is not null)
        {
            labels[ContainerLabels.Run] = runId;
        }

        if (instance is not null)
        {
            labels[ContainerLabels.Instance] = instance.Length == 0 ? Instance : instance;
        }

        if (host is not null)
        {
            labels[ContainerLabels.Host] = host;
        }

        var created = await _docker.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = DockerEngineFixture.BaseImage,
            Cmd = ["sleep", "300"],
            Labels = labels,
            HostConfig = new HostConfig { Init = true },
        });
        await _docker.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
    }
}
