using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orchest.Sdk.Tests;

public sealed partial class JsonOutputTests : IDisposable
{
    private readonly TestPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    public sealed record Stats(int Rows, double MeanValue, IReadOnlyList<string> Labels, Dictionary<string, int> Counts);

    [Fact]
    public async Task OutputAsync_JsonValues_RoundTripToNextStep()
    {
        var a = _pipeline.Step("A");
        var b = _pipeline.Step("B");
        var producer = _pipeline.Context(a);
        await producer.OutputAsync(42, "int");
        await producer.OutputAsync(2.5, "double");
        await producer.OutputAsync("héllo \"world\" <b>+</b>", "string");
        await producer.OutputAsync(true, "bool");
        await producer.OutputAsync((object?)null, "null");
        await producer.OutputAsync(new object?[] { 1, "two", null, new[] { 3.5 } }, "list");
        await producer.OutputAsync(new Dictionary<string, object?> { ["outer"] = new Dictionary<string, object> { ["inner"] = new[] { 1, 2 } } }, "nested");

        var inputs = await _pipeline.Context(b, [a]).GetInputsAsync();

        Assert.Empty(inputs.Unnamed);
        Assert.Equal(42, inputs["int"].Deserialize<int>());
        Assert.Equal(2.5, inputs["double"].Deserialize<double>());
        Assert.Equal("héllo \"world\" <b>+</b>", inputs["string"].Deserialize<string>());
        Assert.Equal("\"héllo \\\"world\\\" <b>+</b>\"", File.ReadAllText(Path.Combine(a.OutputDir, "named-string.data")));
        Assert.True(inputs["bool"].Deserialize<bool>());
        Assert.Equal(JsonValueKind.Null, inputs["null"].AsJson().ValueKind);
        Assert.Null(inputs["null"].Deserialize<string>());
        Assert.Equal("""[1,"two",null,[3.5]]""", inputs["list"].AsJson().GetRawText());
        Assert.Equal(2, inputs["nested"].AsJson().GetProperty("outer").GetProperty("inner")[1].GetInt32());
        Assert.All(inputs.Named.Values, v =>
        {
            Assert.Equal(OutputSerialization.Json, v.Serialization);
            Assert.Equal(a.Uuid, v.StepUuid);
            Assert.Equal("A", v.StepTitle);
            Assert.Equal("dotnet", v.Producer);
        });
    }

    [Fact]
    public async Task OutputAsync_Record_IsWrittenInSnakeCaseAndDeserializesBack()
    {
        var a = _pipeline.Step("A");
        var stats = new Stats(3, 1.5, ["x", "y"], new() { ["CamelKey"] = 1 });
        await _pipeline.Context(a).OutputAsync(stats, null);

        var payload = File.ReadAllText(Path.Combine(a.OutputDir, "unnamed.data"));
        Assert.Equal("""{"rows":3,"mean_value":1.5,"labels":["x","y"],"counts":{"CamelKey":1}}""", payload);

        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();
        var read = Assert.Single(inputs.Unnamed).Deserialize<Stats>()!;
        Assert.Equal(stats.Rows, read.Rows);
        Assert.Equal(stats.MeanValue, read.MeanValue);
        Assert.Equal(stats.Labels, read.Labels);
        Assert.Equal(stats.Counts, read.Counts);
    }

    [Fact]
    public async Task OutputAsync_Json_WritesProtocolFilesAndMetadata()
    {
        var a = _pipeline.Step("A");
        var before = DateTimeOffset.UtcNow;
        await _pipeline.Context(a).OutputAsync(new[] { 1, 2, 3 }, "my data");

        Assert.Equal(["named-my%20data.data", "named-my%20data.meta.json"], a.Files());
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(a.OutputDir, "named-my%20data.meta.json")));
        var root = meta.RootElement;
        Assert.Equal("my data", root.GetProperty("name").GetString());
        Assert.Equal("JSON", root.GetProperty("serialization").GetString());
        Assert.Equal("dotnet", root.GetProperty("producer").GetString());
        Assert.Equal(new FileInfo(Path.Combine(a.OutputDir, "named-my%20data.data")).Length, root.GetProperty("size").GetInt64());
        var timestamp = root.GetProperty("timestamp").GetString()!;
        Assert.Matches(TimestampFormat(), timestamp);
        Assert.Contains($"\"timestamp\":\"{timestamp}\"", File.ReadAllText(Path.Combine(a.OutputDir, "named-my%20data.meta.json")), StringComparison.Ordinal);
        Assert.InRange(DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task OutputAsync_NaN_FailsAndKeepsEarlierOutput()
    {
        var a = _pipeline.Step("A");
        var context = _pipeline.Context(a);
        await context.OutputAsync(1.0, "x");
        var filesBefore = a.Files();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => context.OutputAsync(double.NaN, "x"));

        Assert.StartsWith("The value for output \"x\" cannot be written as JSON (", error.Message, StringComparison.Ordinal);
        Assert.Equal(filesBefore, a.Files());
        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();
        Assert.Equal(1.0, inputs["x"].Deserialize<double>());
    }

    [Fact]
    public async Task OutputAsync_SameNameTwice_LatestWins()
    {
        var a = _pipeline.Step("A");
        var context = _pipeline.Context(a);
        await context.OutputAsync("first", "x");
        await context.OutputAsync("second", "x");
        await context.OutputAsync("first", null);
        await context.OutputAsync("second", null);

        Assert.Equal(["named-x.data", "named-x.meta.json", "unnamed.data", "unnamed.meta.json"], a.Files());
        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();
        Assert.Equal("second", inputs["x"].Deserialize<string>());
        Assert.Equal("second", Assert.Single(inputs.Unnamed).Deserialize<string>());
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$")]
    private static partial Regex TimestampFormat();
}
