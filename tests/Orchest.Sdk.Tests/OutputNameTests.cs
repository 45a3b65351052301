namespace Orchest.Sdk.Tests;

public sealed class OutputNameTests : IDisposable
{
    private readonly TestPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Theory]
    [InlineData("unnamed", "'unnamed' is a reserved `name`.")]
    [InlineData("a; b", "'; ' cannot be part of the `name`.")]
    public async Task OutputAsync_InvalidName_FailsWithOrchestMessageAndWritesNothing(string name, string message)
    {
        var a = _pipeline.Step("A");
        var context = _pipeline.Context(a);

        var error = await Assert.ThrowsAsync<InvalidOutputNameException>(() => context.OutputAsync(1, name));

        Assert.Equal(message, error.Message);
        Assert.Equal(name, error.Name);
        Assert.Empty(a.Files());
    }

    [Fact]
    public async Task OutputAsync_NullName_IsTheUnnamedOutput()
    {
        var a = _pipeline.Step("A");
        await _pipeline.Context(a).OutputAsync(1, null);

        Assert.Equal(["unnamed.data", "unnamed.meta.json"], a.Files());
        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();
        Assert.Null(Assert.Single(inputs.Unnamed).Name);
        Assert.Empty(inputs.Named);
    }

    [Theory]
    [InlineData("plain", "named-plain")]
    [InlineData("my data", "named-my%20data")]
    [InlineData("A-z_0.9~", "named-A-z_0.9~")]
    [InlineData("größe/x;y", "named-gr%C3%B6%C3%9Fe%2Fx%3By")]
    [InlineData("unnamed2", "named-unnamed2")]
    public async Task OutputAsync_Name_IsPercentEncodedInTheStem(string name, string stem)
    {
        var a = _pipeline.Step("A");
        await _pipeline.Context(a).OutputAsync(1, name);

        Assert.Equal([stem + ".data", stem + ".meta.json"], a.Files());
        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();
        Assert.Equal(1, inputs[name].Deserialize<int>());
    }
}
