namespace Orchest.Sdk.Tests;

public sealed class InputsTests : IDisposable
{
    private readonly TestPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task GetInputsAsync_Unnamed_FollowIncomingConnectionsOrder()
    {
        TestStep[] parents = [_pipeline.Step("C"), _pipeline.Step("A"), _pipeline.Step("B")];
        foreach (var parent in parents)
        {
            await _pipeline.Context(parent).OutputAsync("from " + parent.Title, null);
        }

        var inputs = await _pipeline.Context(_pipeline.Step("D"), parents).GetInputsAsync();

        Assert.Equal(["from C", "from A", "from B"], inputs.Unnamed.Select(v => v.Deserialize<string>()));
        Assert.Equal(["C", "A", "B"], inputs.Unnamed.Select(v => v.StepTitle));
    }

    [Fact]
    public async Task GetInputsAsync_SeveralNamedOutputsFromSeveralSteps_AreAllByName()
    {
        var a = _pipeline.Step("A");
        var b = _pipeline.Step("B");
        var producerA = _pipeline.Context(a);
        await producerA.OutputAsync(1, "one");
        await producerA.OutputAsync(2, "two");
        await producerA.OutputAsync("a", null);
        await _pipeline.Context(b).OutputAsync(3, "three");

        var inputs = await _pipeline.Context(_pipeline.Step("C"), [a, b]).GetInputsAsync();

        Assert.Equal(["one", "three", "two"], inputs.Named.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, inputs["one"].Deserialize<int>());
        Assert.Equal(2, inputs["two"].Deserialize<int>());
        Assert.Equal(3, inputs["three"].Deserialize<int>());
        Assert.Equal("B", inputs["three"].StepTitle);
        Assert.Equal("a", Assert.Single(inputs.Unnamed).Deserialize<string>());
        Assert.True(inputs.TryGetValue("two", out var two));
        Assert.Equal("two", two.Name);
        Assert.False(inputs.TryGetValue("four", out _));
    }

    [Fact]
    public async Task Indexer_UnknownName_ListsTheNamesThereAre()
    {
        var a = _pipeline.Step("A");
        await _pipeline.Context(a).OutputAsync(1, "b");
        await _pipeline.Context(a).OutputAsync(1, "a");
        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();

        var error = Assert.Throws<KeyNotFoundException>(() => inputs["c"]);

        Assert.Equal("No incoming step output a value named \"c\". Named inputs: \"a\", \"b\".", error.Message);
    }

    [Fact]
    public async Task GetInputsAsync_SameNameFromTwoSteps_FailsWithOrchestCollisionMessage()
    {
        var b = _pipeline.Step("B");
        var a = _pipeline.Step("A");
        var c = _pipeline.Step("C");
        await _pipeline.Context(b).OutputAsync(1, "x");
        await _pipeline.Context(a).OutputAsync(2, "x");
        await _pipeline.Context(c).OutputAsync(3, "y");
        await _pipeline.Context(a).OutputAsync(4, "y");
        await _pipeline.Context(c).OutputAsync(5, "z");

        var error = await Assert.ThrowsAsync<InputNameCollisionException>(
            () => _pipeline.Context(_pipeline.Step("D"), [b, a, c]).GetInputsAsync());

        // Names in first-seen order (B's x, then A's y), titles sorted; Python's list repr.
        Assert.Equal(
            "Name collisions between input data coming from different steps: \nx: ['A', 'B']\ny: ['A', 'C']",
            error.Message);
        Assert.Equal(["x", "y"], error.Collisions.Keys);
        Assert.Equal(["A", "B"], error.Collisions["x"]);
    }

    [Fact]
    public async Task GetInputsAsync_ParentWithoutOutputSet_FailsWithOrchestMessage()
    {
        var a = _pipeline.Step("A");
        await _pipeline.Context(a).OutputAsync(1, null);
        var never = _pipeline.Step("Load data") with { NeverRan = true };

        var error = await Assert.ThrowsAsync<OutputNotFoundException>(
            () => _pipeline.Context(_pipeline.Step("B"), [a, never]).GetInputsAsync());

        Assert.Equal($"Output from incoming step \"Load data\" (\"{never.Uuid}\") cannot be found. Try rerunning it.", error.Message);
        Assert.Equal(never.Uuid, error.StepUuid);
        Assert.Equal("Load data", error.StepTitle);
    }

    [Fact]
    public async Task GetInputsAsync_LocationFolderMissing_FailsWithOrchestMessage()
    {
        var gone = _pipeline.Step("Gone");

        var error = await Assert.ThrowsAsync<OutputNotFoundException>(
            () => _pipeline.Context(_pipeline.Step("B"), [gone]).GetInputsAsync());

        Assert.Equal($"Output from incoming step \"Gone\" (\"{gone.Uuid}\") cannot be found. Try rerunning it.", error.Message);
    }

    [Fact]
    public async Task GetInputsAsync_EmptyOutputSet_ContributesNothing()
    {
        var empty = _pipeline.Step("Empty");
        Directory.CreateDirectory(empty.OutputDir);
        var a = _pipeline.Step("A");
        await _pipeline.Context(a).OutputAsync("a", null);

        var inputs = await _pipeline.Context(_pipeline.Step("B"), [empty, a]).GetInputsAsync();

        Assert.Equal("A", Assert.Single(inputs.Unnamed).StepTitle);
        Assert.Empty(inputs.Named);
    }

    [Fact]
    public async Task GetInputsAsync_PayloadWithoutMetadata_IsIgnored()
    {
        var a = _pipeline.Step("A");
        await _pipeline.Context(a).OutputAsync(1, "kept");
        // A step killed between payload and metadata leaves this behind (and a temp file).
        await File.WriteAllTextAsync(Path.Combine(a.OutputDir, "named-half.data"), "[1, 2");
        await File.WriteAllTextAsync(Path.Combine(a.OutputDir, "unnamed.data"), "\"half\"");
        await File.WriteAllTextAsync(Path.Combine(a.OutputDir, ".unnamed.meta.json.tmp-4242"), "{\"name\": null, \"serial");

        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();

        Assert.Equal(["kept"], inputs.Named.Keys);
        Assert.Empty(inputs.Unnamed);
    }

    [Fact]
    public async Task GetInputsAsync_NoIncomingSteps_IsEmpty()
    {
        var inputs = await _pipeline.Context(_pipeline.Step("A")).GetInputsAsync();

        Assert.Empty(inputs.Unnamed);
        Assert.Empty(inputs.Named);
    }

    [Fact]
    public async Task GetInputsAsync_InvalidMetadata_NamesTheStepAndFile()
    {
        var a = _pipeline.Step("A");
        a.WriteRaw("unnamed", "1"u8.ToArray(), "{\"name\": null}");

        var error = await Assert.ThrowsAsync<OutputNotReadableException>(
            () => _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync());

        Assert.Equal(
            $"The metadata file \"unnamed.meta.json\" of incoming step \"A\" (\"{a.Uuid}\") is not valid: The metadata has no \"serialization\" string.",
            error.Message);
    }
}
