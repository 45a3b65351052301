using System.Text;

namespace Orchest.Sdk.Tests;

/// <summary>Output sets written by hand the way the Python SDK writes them (PROTOCOL.md §3, json.dumps spacing).</summary>
public sealed class PythonInteropTests : IDisposable
{
    private readonly TestPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task GetInputsAsync_PythonJsonOutputs_ReadCorrectly()
    {
        var py = _pipeline.Step("Python step");
        WritePython(py, "unnamed", """{"rows": 3, "mean_value": 1.5, "labels": ["a", "b"], "nested": {"k": [1, 2.5, null, true]}}""", "null");
        WritePython(py, "named-my%20data", """[1, 2, 3]""", "\"my data\"");
        WritePython(py, "named-gr%C3%B6%C3%9Fe", "\"caf\\u00e9\"", "\"größe\"", extra: """, "pandas": false, "future_field": {"x": 1}""");

        var inputs = await _pipeline.Context(_pipeline.Step("C# step"), [py]).GetInputsAsync();

        var record = Assert.Single(inputs.Unnamed).Deserialize<PythonStats>()!;
        Assert.Equal(3, record.Rows);
        Assert.Equal(1.5, record.MeanValue);
        Assert.Equal(["a", "b"], record.Labels);
        Assert.Equal("[1, 2.5, null, true]", inputs.Unnamed[0].AsJson().GetProperty("nested").GetProperty("k").GetRawText());
        Assert.Equal([1, 2, 3], inputs["my data"].Deserialize<int[]>()!);
        Assert.Equal("café", inputs["größe"].Deserialize<string>());
        Assert.Equal("python", inputs["my data"].Producer);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560), inputs["my data"].Timestamp);
    }

    [Fact]
    public async Task GetInputsAsync_TimestampWithoutMicroseconds_IsAccepted()
    {
        var py = _pipeline.Step("Python step");
        py.WriteRaw("unnamed", "1"u8.ToArray(), """{"name": null, "serialization": "JSON", "timestamp": "2024-05-01T10:00:00+00:00", "size": 1, "producer": "python"}""");

        var inputs = await _pipeline.Context(_pipeline.Step("C# step"), [py]).GetInputsAsync();

        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), inputs.Unnamed[0].Timestamp);
    }

    [Fact]
    public async Task GetInputsAsync_OrchestUnnamedName_IsUnnamed()
    {
        var py = _pipeline.Step("Python step");
        WritePython(py, "unnamed", "1", "\"unnamed\"");

        var inputs = await _pipeline.Context(_pipeline.Step("C# step"), [py]).GetInputsAsync();

        Assert.Null(Assert.Single(inputs.Unnamed).Name);
        Assert.Empty(inputs.Named);
    }

    [Theory]
    [InlineData("named-model", "\"model\"", "Output \"model\" of incoming step")]
    [InlineData("unnamed", "null", "The unnamed output of incoming step")]
    public async Task ReadingPickle_FailsNamingStepAndOutputAndWhatToOutputInstead(string stem, string nameJson, string described)
    {
        var py = _pipeline.Step("Train");
        py.WriteRaw(stem, [0x80, 0x04, 0x95], $$"""{"name": {{nameJson}}, "serialization": "PICKLE", "timestamp": "2024-05-01T10:00:00.000001+00:00", "size": 3, "producer": "python"}""");
        // Reading inputs succeeds: a pickle this step never reads does not stop it.
        var inputs = await _pipeline.Context(_pipeline.Step("C# step"), [py]).GetInputsAsync();
        var value = inputs.Named.Values.Concat(inputs.Unnamed).Single();
        Assert.Equal(OutputSerialization.Pickle, value.Serialization);

        var asJson = Assert.Throws<OutputNotReadableException>(() => value.AsJson());
        var asArrow = Assert.Throws<OutputNotReadableException>(() => value.ReadArrowAsync());

        var expected = $"{described} \"Train\" (\"{py.Uuid}\") is a Python pickle, which .NET steps cannot read. "
            + "Change that step to output JSON-able values (None, bool, int, float, str, list, dict with str keys) "
            + "or Arrow data (a pyarrow Table or RecordBatch, or a pandas DataFrame with pyarrow installed).";
        Assert.Equal(expected, asJson.Message);
        Assert.Equal(expected, asArrow.Message);
        Assert.Equal(py.Uuid, asJson.StepUuid);
        Assert.Equal("PICKLE", asJson.Serialization);
    }

    [Fact]
    public async Task ReadingUnknownSerialization_FailsNamingIt()
    {
        var py = _pipeline.Step("Py");
        py.WriteRaw("named-x", [1], """{"name": "x", "serialization": "PARQUET"}""");
        var inputs = await _pipeline.Context(_pipeline.Step("C# step"), [py]).GetInputsAsync();

        var error = Assert.Throws<OutputNotReadableException>(() => inputs["x"].AsJson());

        Assert.Equal(OutputSerialization.Unknown, inputs["x"].Serialization);
        Assert.Equal(
            $"Output \"x\" of incoming step \"Py\" (\"{py.Uuid}\") has the serialization \"PARQUET\", which this version of the .NET step SDK does not know; the producer should output JSON or Arrow.",
            error.Message);
    }

    public sealed record PythonStats(int Rows, double MeanValue, string[] Labels);

    private static void WritePython(TestStep step, string stem, string payload, string nameJson, string extra = "")
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        step.WriteRaw(
            stem,
            bytes,
            $$"""{"name": {{nameJson}}, "serialization": "JSON", "timestamp": "2024-05-01T10:00:00.123456+00:00", "size": {{bytes.Length}}, "producer": "python"{{extra}}}""");
    }
}
