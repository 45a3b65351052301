using Orchest.Pipelines;
using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

public sealed class ResourceTests : IDisposable
{
    private readonly TempProject _project = new("resources");

    [Theory]
    [InlineData("512m", 512L << 20)]
    [InlineData("2g", 2L << 30)]
    [InlineData("2GiB", 2L << 30)]
    [InlineData("1.5g", 3L << 29)]
    [InlineData("300Mi", 300L << 20)]
    [InlineData("8388608", 8L << 20)]
    public void TryParseMemory_DockerSizes_ParsesBytes(string text, long bytes)
    {
        Assert.True(ResourceQuantity.TryParseMemory(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("2x")]
    [InlineData("-1g")]
    [InlineData("100k")]
    public void TryParseMemory_NotASizeOrTooSmall_IsRefused(string text) => Assert.False(ResourceQuantity.TryParseMemory(text, out _));

    [Fact]
    public void For_StepResourcesInPipeline_OverrideRunnerDefaults()
    {
        var launch = StepLaunches.For(_project, "a.py", StepFileKind.Python,
            pipelineJson: """{"steps": {"step-1": {"resources": {"memory": "2g", "cpus": 1.5}}, "other": {"resources": {"memory": "1g"}}}}""");

        var resources = StepResources.For(launch, new DockerRunnerOptions { Memory = "512m", Cpus = 1, PidsLimit = 100 }, out var problem);

        Assert.Null(problem);
        Assert.Equal(new StepResources(2L << 30, 1.5, 100), resources);
    }

    [Fact]
    public void For_NoOverride_UsesRunnerDefaults()
    {
        var launch = StepLaunches.For(_project, "a.py", StepFileKind.Python, pipelineJson: """{"steps": {"step-1": {}}}""");

        Assert.Equal(new StepResources(512L << 20, null, null), StepResources.For(launch, new DockerRunnerOptions { Memory = "512m" }, out _));
    }

    [Fact]
    public void For_BadOverride_ReportsTheField()
    {
        var launch = StepLaunches.For(_project, "a.py", StepFileKind.Python, pipelineJson: """{"steps": {"step-1": {"resources": {"memory": "lots"}}}}""");

        StepResources.For(launch, new DockerRunnerOptions(), out var problem);

        Assert.Equal("resources.memory \"lots\" is not a size such as \"512m\" or \"2g\".", problem);
    }

    [Fact]
    public void Validate_BadSettings_SaysWhatToSet()
    {
        var problems = new DockerRunnerOptions { Endpoint = "docker.sock", Memory = "huge", Cpus = 0 }.Validate();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Orchest:Runners:Docker:Endpoint", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Orchest:Runners:Docker:Memory", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Orchest:Runners:Docker:Cpus", StringComparison.Ordinal));
    }

    public void Dispose() => _project.Dispose();
}
