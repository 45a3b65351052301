using System.Text.Json;

namespace Orchest.Sdk.Tests;

public sealed class ParameterTests : IDisposable
{
    private readonly TestPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    public sealed record Window(int Start, int End);

    private StepContext Context() => _pipeline.Context(
        _pipeline.Step("A"),
        stepParameters: new Dictionary<string, object?>
        {
            ["k"] = 1,
            ["ratio"] = 0.25,
            ["label"] = "x",
            ["enabled"] = true,
            ["list"] = new[] { 1, 2, 3 },
            ["window"] = new Dictionary<string, int> { ["start"] = 1, ["end"] = 5 },
            ["nothing"] = null,
        },
        pipelineParameters: new Dictionary<string, object?> { ["p"] = "x", ["k"] = 10 });

    [Fact]
    public void GetStepParam_SetParameters_ArriveTyped()
    {
        var context = Context();

        Assert.Equal(1, context.GetStepParam<int>("k"));
        Assert.Equal(1L, context.GetStepParam<long>("k"));
        Assert.Equal(1.0, context.GetStepParam<double>("k"));
        Assert.Equal(0.25, context.GetStepParam<double>("ratio"));
        Assert.Equal("x", context.GetStepParam<string>("label"));
        Assert.True(context.GetStepParam<bool>("enabled"));
        Assert.Equal([1, 2, 3], context.GetStepParam<int[]>("list")!);
        Assert.Equal(new Window(1, 5), context.GetStepParam<Window>("window"));
        Assert.Null(context.GetStepParam<string>("nothing"));
        Assert.Null(context.GetStepParam<int?>("nothing"));
        Assert.Equal(JsonValueKind.Array, context.GetStepParam<JsonElement>("list").ValueKind);
    }

    [Fact]
    public void GetStepParam_Missing_ReturnsDefault()
    {
        var context = Context();

        Assert.Equal(7, context.GetStepParam("missing", 7));
        Assert.Equal(0, context.GetStepParam<int>("missing"));
        Assert.Equal("fallback", context.GetStepParam("missing", "fallback"));
        Assert.Null(context.GetStepParam<string>("missing"));
        Assert.Equal(1, context.GetStepParam("k", 7));
    }

    [Fact]
    public void GetPipelineParam_SetAndMissing_ArriveTypedOrDefault()
    {
        var context = Context();

        Assert.Equal("x", context.GetPipelineParam<string>("p"));
        Assert.Equal(10, context.GetPipelineParam("k", 0));
        Assert.Equal(3, context.GetPipelineParam("missing", 3));
        Assert.Equal(["k", "p"], context.PipelineParameters.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GetStepParam_WrongType_FailsNamingTheParameter()
    {
        var context = Context();

        var error = Assert.Throws<InvalidCastException>(() => context.GetStepParam<int>("label"));

        Assert.Equal("Step parameter \"label\" is \"x\" (String), which cannot be read as Int32.", error.Message);
    }
}
