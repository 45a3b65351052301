using Docker.DotNet.Models;
using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

[Collection(DockerCollection.Name)]
public sealed class ContainerJanitorTests(DockerEngineFixture engine) : IAsyncLifetime
{
    private readonly DockerTestContext _docker = new(engine);

    [Fact]
    public async Task RemoveOrphansAsync_HostRestart_RemovesContainersOfFinishedAndUnknownRunsOnly()
    {
        var active = "run-active-" + _docker.TestId;
        var finished = "run-finished-" + _docker.TestId;
        await StartSleeperAsync(active);
        await StartSleeperAsync(finished);
        await StartSleeperAsync(runId: null);
        var janitor = new ContainerJanitor(_docker.Client);
        var asked = new List<string>();

        var removed = await janitor.RemoveOrphansAsync(run =>
        {
            asked.Add(run);
            // Containers of other tests or hosts on this engine are "active": only this test's runs are judged.
            return Task.FromResult(run == active || !run.EndsWith(_docker.TestId, StringComparison.Ordinal));
        });

        var left = await _docker.ContainersAsync("orchest.test", _docker.TestId);
        Assert.True(removed >= 2, $"removed {removed}");
        Assert.Equal(active, Assert.Single(left).Labels[ContainerLabels.Run]);
        Assert.Contains(finished, asked);
        Assert.Equal(1, await janitor.RemoveRunContainersAsync(active));
        Assert.Empty(await _docker.ContainersAsync("orchest.test", _docker.TestId));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _docker.DisposeAsync().AsTask();

    /// <summary>A running container labelled like a step container of <paramref name="runId"/> (null: no run label).</summary>
    private async Task StartSleeperAsync(string? runId)
    {
        var labels = new Dictionary<string, string> { [ContainerLabels.Managed] = "true", ["orchest.test"] = _docker.TestId };
        if (runId is not null)
        {
            labels[ContainerLabels.Run] = runId;
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
