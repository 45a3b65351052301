using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Runners.Docker.Tests;

/// <summary>
/// Issue 10 for containers: whatever a step starts, the run ends within the grace period plus a few
/// seconds, its record is right, no process of it is left and its container is removed.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class HostileStepTests(DockerEngineFixture engine, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);
    private readonly DockerTestContext _docker = new(engine);

    [Theory]
    [MemberData(nameof(HostileRuns.Cases), MemberType = typeof(HostileRuns))]
    public async Task Run_HostileStep_EndsPromptlyWithARightRecordAndNothingLeft(HostileStep step, HostileVariant variant)
    {
        var options = _docker.Options();
        using var runner = new DockerStepRunner(_docker.Client, options);

        var result = await HostileRuns.RunAsync(runner, step, variant, ContainerPaths.ProjectDir);
        output.WriteLine(result.ToString());

        result.AssertContained(options.KillGracePeriod, Slack);
        Assert.Empty(await _docker.ContainersAsync("orchest.test", _docker.TestId));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _docker.DisposeAsync().AsTask();
}
