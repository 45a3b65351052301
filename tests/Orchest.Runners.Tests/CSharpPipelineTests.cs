using System.Text.Json;
using System.Text.Json.Nodes;
using Orchest.Engine.Runs;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Runners.Tests;

/// <summary>Pipelines mixing Python and C# steps through the real engine and process runner.</summary>
[Collection(CSharpStepsCollection.Name)]
public sealed class CSharpPipelineTests(CSharpStepsFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Run_PythonToCSharpToPython_JsonValuesAndParametersArrive()
    {
        await using var harness = new ProcessEngineHarness(fixture.Options());
        var pipeline = new PipelineBuilder("interop")
            .Step("Py source", "steps/source.py", """
                import orchest
                orchest.output({"numbers": [1, 2, 3], "label": "from python", "mean_value": 2.0}, name="py_values")
                orchest.output(7, name=None)
                """)
            .Step("C# middle", "steps/middle.cs", CSharpStepSources.Interop, ["Py source"], new JsonObject { ["factor"] = 3 })
            .Step("Py sink", "steps/sink.py", """
                import json
                import orchest
                print("python read", json.dumps(orchest.get_inputs()["cs_values"], sort_keys=True))
                """, ["C# middle"]);
        pipeline.Parameters["greeting"] = "hej";

        var run = await harness.RunAsync(pipeline);

        Assert.True(run.Run.Status == ExecutionStatus.Success, string.Join('\n', harness.Log("C# middle")));
        Assert.Equal(["C# read from python 1,2,3 mean=2 unnamed=7 factor=3 greeting=hej"], harness.Log("C# middle"));
        Assert.Equal(
            ["""python read {"greeting": "hej", "label": "FROM PYTHON", "total": 18, "unnamed_and_factor": [7, 3]}"""],
            harness.Log("Py sink"));
    }

    [Fact]
    public async Task Run_MillionRowArrowTableBetweenCSharpSteps_ArrivesIntactAsAStandardIpcStream()
    {
        const long Rows = 1_000_000;
        await using var harness = new ProcessEngineHarness(fixture.Options());
        var pipeline = new PipelineBuilder("arrow")
            .Step("Produce", "steps/produce.cs", CSharpStepSources.ArrowProducer, parameters: new JsonObject { ["rows"] = Rows })
            .Step("Consume", "steps/consume.cs", CSharpStepSources.ArrowConsumer, ["Produce"]);

        var run = await harness.RunAsync(pipeline);

        Assert.True(run.Run.Status == ExecutionStatus.Success, string.Join('\n', harness.Log("Produce").Concat(harness.Log("Consume"))));
        var produced = harness.OutputSetDirectory(pipeline, run, "Produce");
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(produced, "named-table.meta.json")));
        Assert.Equal("ARROW_TABLE", meta.RootElement.GetProperty("serialization").GetString());
        Assert.Equal("dotnet", meta.RootElement.GetProperty("producer").GetString());
        var payloadBytes = new FileInfo(Path.Combine(produced, "named-table.data")).Length;
        Assert.Equal(payloadBytes, meta.RootElement.GetProperty("size").GetInt64());

        using var check = JsonDocument.Parse(File.ReadAllText(Path.Combine(harness.OutputSetDirectory(pipeline, run, "Consume"), "named-check.data")));
        var c = check.RootElement;
        Assert.Equal(Rows, c.GetProperty("rows").GetInt64());
        Assert.Equal(0, c.GetProperty("bad_values").GetInt64());
        Assert.True(c.GetProperty("starts_with_continuation_marker").GetBoolean());
        Assert.Equal(Rows, c.GetProperty("raw_rows").GetInt64());
        Assert.Equal(Rows * (Rows - 1) / 2, c.GetProperty("raw_id_sum").GetInt64());
        Assert.Equal(16, c.GetProperty("batches").GetInt64());
        Assert.Equal(payloadBytes, c.GetProperty("payload_bytes").GetInt64());

        // Figures for the record, not assertions.
        output.WriteLine($"payload {payloadBytes / 1e6:F1} MB; {string.Join("; ", harness.Log("Produce").Concat(harness.Log("Consume")))}");
    }
}
