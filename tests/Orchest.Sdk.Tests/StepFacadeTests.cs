namespace Orchest.Sdk.Tests;

public sealed class StepFacadeTests : IDisposable
{
    private readonly TestPipeline _pipeline = new();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("ORCHEST_STEP_CONTEXT", null);
        _pipeline.Dispose();
    }

    // The only test that uses the process environment and StepContext.Current (resolved once per process).
    [Fact]
    public async Task Step_ForwardsToTheContextNamedByTheEnvironment()
    {
        var a = _pipeline.Step("A");
        var b = _pipeline.Step("B");
        await _pipeline.Context(a).OutputAsync(new[] { 1, 2 }, "xs");
        Environment.SetEnvironmentVariable("ORCHEST_STEP_CONTEXT", _pipeline.WriteContextFile(b, [a], new { k = 3 }, new { p = "x" }));

        var inputs = await Step.GetInputsAsync();
        await Step.OutputAsync(inputs["xs"].Deserialize<int[]>()!.Sum() * Step.GetStepParam("k", 0), Step.GetPipelineParam<string>("p"));

        Assert.Same(StepContext.Current, Step.Context);
        Assert.Equal(b.Uuid, Step.Context.StepUuid);
        Assert.Equal(["named-x.data", "named-x.meta.json"], b.Files());
        Assert.Equal("9", File.ReadAllText(Path.Combine(b.OutputDir, "named-x.data")));
    }
}
