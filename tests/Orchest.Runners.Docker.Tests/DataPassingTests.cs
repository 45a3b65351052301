using Orchest.Engine.Runs;
using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

[Collection(DockerCollection.Name)]
public sealed class DataPassingTests(DockerEngineFixture engine) : IAsyncLifetime
{
    private readonly DockerTestContext _docker = new(engine);

    [Fact]
    public async Task Engine_MixedPipeline_PassesDataBetweenContainerAndProcessSteps()
    {
        var pipeline = new PipelineBuilder()
            .Step("Produce", "produce.py", "import orchest\norchest.output({'numbers': [1, 2, 3]}, name='numbers')\norchest.output('unnamed value', name=None)\n")
            .Step("In container", "consume.py", Consumer("container"), ["Produce"])
            .Step("In process", "consume_process.py", Consumer("process"), ["Produce"])
            .Step("Back in container", "last.py",
                "import orchest\ninputs = orchest.get_inputs()\nprint('last got', inputs['total'])\n", ["In process"]);
        using var containers = _docker.Runner();
        var processSteps = new HashSet<string>(StringComparer.Ordinal) { pipeline.StepUuid("In process") };
        await using var harness = new ContainerEngineHarness(new RoutingStepRunner(containers, _docker.ProcessRunner(), processSteps));

        var run = await harness.RunAsync(pipeline);

        Assert.All(run.Steps, s => Assert.True(s.Status == ExecutionStatus.Success, $"{s.Title}: {s.Status} {s.Message}"));
        Assert.Contains("container got [1, 2, 3] and 'unnamed value'", harness.Log(pipeline, "In container"), StringComparison.Ordinal);
        Assert.Contains("process got [1, 2, 3] and 'unnamed value'", harness.Log(pipeline, "In process"), StringComparison.Ordinal);
        Assert.Contains("last got 6", harness.Log(pipeline, "Back in container"), StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _docker.DisposeAsync().AsTask();

    private static string Consumer(string where) => $$"""
        import orchest
        inputs = orchest.get_inputs()
        numbers = inputs['numbers']['numbers']
        print('{{where}} got', numbers, 'and', repr(inputs['unnamed'][0]))
        orchest.output(sum(numbers), name='total')
        """;
}
