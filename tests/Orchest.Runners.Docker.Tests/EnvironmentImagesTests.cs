using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using Orchest.Engine.Runs;
using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

[Collection(DockerCollection.Name)]
public sealed class EnvironmentImagesTests(DockerEngineFixture engine) : IAsyncLifetime
{
    private readonly DockerTestContext _docker = new(engine);

    [Fact]
    public async Task Engine_SecondRunOfPipeline_DoesNotRebuildEnvironment()
    {
        using var runner = _docker.Runner();
        await using var harness = new ContainerEngineHarness(runner);
        // An Orchest image name that is not on this host maps to the local build (orchest/<name>:local).
        var environment = StepLaunches.Environment(harness.Project, "orchest/base-kernel-py:v2022.10.0", $"#!/bin/bash\necho \"setting up {Guid.NewGuid():n}\"\n");
        var pipeline = new PipelineBuilder()
            .Step("A", "a.py", "import orchest\nprint('A in', orchest.__file__)\n", extra: Env(environment.Uuid))
            .Step("B", "b.sh", "echo B ran\n", extra: Env(environment.Uuid));

        var first = await harness.RunAsync(pipeline);
        var image = await runner.Images.ResolveAsync(environment);
        _docker.RemoveImageLater(image.Tag);
        var logWritten = File.GetLastWriteTimeUtc(image.BuildLogPath);
        var second = await harness.RunAsync(pipeline);
        using var otherHost = new EnvironmentImages(_docker.Client, _docker.Options());
        var seenByOtherHost = await otherHost.ResolveAsync(environment);

        Assert.All(first.Steps.Concat(second.Steps), s => Assert.Equal(ExecutionStatus.Success, s.Status));
        Assert.Equal(1, runner.Images.BuildCount);
        Assert.False(image.Built);
        Assert.StartsWith($"orchest-env-{environment.Uuid[..8]}:", image.Tag, StringComparison.Ordinal);
        Assert.Equal(logWritten, File.GetLastWriteTimeUtc(image.BuildLogPath));
        Assert.Contains("setting up", await runner.Images.ReadBuildLogAsync(image.Tag), StringComparison.Ordinal);
        Assert.Equal([image.BuildLogPath], runner.Images.BuildLogPaths(environment.Uuid));
        Assert.False(seenByOtherHost.Built);
        Assert.Equal(0, otherHost.BuildCount);
        Assert.Equal(image.ImageId, seenByOtherHost.ImageId);
        Assert.Contains("A in /opt/orchest/sdk/python/orchest/__init__.py", harness.Log(pipeline, "A"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_BrokenSetupScript_FailsEveryStepNeedingItWithTheScriptLog()
    {
        using var runner = _docker.Runner();
        await using var harness = new ContainerEngineHarness(runner);
        var marker = Guid.NewGuid().ToString("n");
        var environment = StepLaunches.Environment(
            harness.Project, DockerEngineFixture.BaseImage, $"#!/bin/bash\n# One pipe for both streams: the order of the lines is the order they were written.\nexec 2>&1\necho installing things\necho \"E: Unable to locate package frobnicate-{marker}\" >&2\nexit 42\n");
        var pipeline = new PipelineBuilder()
            .Step("A", "a.py", "print('never')\n", extra: Env(environment.Uuid))
            .Step("B", "b.py", "print('never')\n", extra: Env(environment.Uuid))
            .Setting("failure_policy", "continue");

        var run = await harness.RunAsync(pipeline).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(ExecutionStatus.Failure, run.Run.Status);
        Assert.All(run.Steps, s =>
        {
            Assert.Equal(ExecutionStatus.Failure, s.Status);
            Assert.Contains("exit status 42", s.Message, StringComparison.Ordinal);
            // The reason once: the script's last line, not the log's tail again (the log has that).
            Assert.Contains($"(last output: E: Unable to locate package frobnicate-{marker})", s.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("installing things", s.Message, StringComparison.Ordinal);
        });
        Assert.Contains($"E: Unable to locate package frobnicate-{marker}", harness.Log(pipeline, "A"), StringComparison.Ordinal);
        Assert.Contains("installing things", harness.Log(pipeline, "B"), StringComparison.Ordinal);
        Assert.Equal(1, runner.Images.BuildCount);
        var log = Directory.GetFiles(_docker.BuildLogs, "*.log").Single();
        Assert.Contains($"frobnicate-{marker}", File.ReadAllText(log), StringComparison.Ordinal);
        Assert.Empty(await _docker.Client.Images.ListImagesAsync(new ImagesListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"orchest.environment={environment.Uuid}"] = true } },
        }));
    }

    [Fact]
    public async Task ResolveAsync_SetupScriptChanged_BuildsNewImageAndUntagsTheOldOne()
    {
        using var project = new TempProject("docker-changed");
        var uuid = Guid.NewGuid().ToString();
        var before = StepLaunches.Environment(project, DockerEngineFixture.BaseImage, $"echo first {uuid}\n", uuid);
        var after = StepLaunches.Environment(project, DockerEngineFixture.BaseImage, $"echo second {uuid}\n", uuid);
        using var images = new EnvironmentImages(_docker.Client, _docker.Options());

        var old = await images.ResolveAsync(before);
        _docker.RemoveImageLater(old.Tag);
        var current = await images.ResolveAsync(after);
        _docker.RemoveImageLater(current.Tag);

        Assert.True(old.Built);
        Assert.True(current.Built);
        Assert.NotEqual(old.Tag, current.Tag);
        await Assert.ThrowsAsync<DockerImageNotFoundException>(() => _docker.Client.Images.InspectImageAsync(old.Tag));
        Assert.Equal(current.ImageId, (await _docker.Client.Images.InspectImageAsync(current.Tag)).ID);
    }

    [Fact]
    public async Task ResolveAsync_BaseImageMissing_FailsNamingTheImageAndTheFix()
    {
        using var project = new TempProject("docker-missing");
        var environment = StepLaunches.Environment(project, "example.invalid/no-such-image:1.0", "echo hi\n");
        using var images = new EnvironmentImages(_docker.Client, _docker.Options());

        var error = await Assert.ThrowsAsync<EnvironmentImageException>(() => images.ResolveAsync(environment));

        Assert.Equal("example.invalid/no-such-image:1.0", error.Image);
        Assert.Contains("\"example.invalid/no-such-image:1.0\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("docker pull example.invalid/no-such-image:1.0", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, images.BuildCount);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _docker.DisposeAsync().AsTask();

    private static JsonObject Env(string uuid) => new() { ["environment"] = uuid };
}
