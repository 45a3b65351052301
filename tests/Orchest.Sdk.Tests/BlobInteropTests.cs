using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Orchest.Sdk.Tests;

/// <summary>The Python SDK and this SDK through the same blob output sets (real Azurite, real Python).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobInteropTests(AzuriteBlobServer azurite) : IDisposable
{
    private readonly TestPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [PythonAzuriteFact]
    public async Task PythonOutputs_AreReadByDotnet_AndDotnetOutputs_ByPython()
    {
        var c = await azurite.CreateContainerAsync();

        // A (Python) -> B (.NET) -> C (Python), every set in the same container.
        await RunPythonAsync(
            BlobOutputSetTests.WriteContext(_pipeline, "A", [], c.OutputOf("A")),
            """
            import orchest
            orchest.output({"rows": 3, "mean_value": 1.5, "labels": ["a", "é"]}, None)
            orchest.output([1, 2, 3], "my data")
            """);

        var b = StepContext.Load(BlobOutputSetTests.WriteContext(_pipeline, "B", [("A", c.InputOf("A"))], c.OutputOf("B")));
        var inputs = await b.GetInputsAsync();
        var stats = Assert.Single(inputs.Unnamed).Deserialize<PythonStats>()!;
        Assert.Equal((3, 1.5), (stats.Rows, stats.MeanValue));
        Assert.Equal(["a", "é"], stats.Labels);
        Assert.Equal([1, 2, 3], inputs["my data"].Deserialize<int[]>()!);
        Assert.Equal("python", inputs["my data"].Producer);

        await b.OutputAsync(new PythonStats(stats.Rows * 2, stats.MeanValue, [.. stats.Labels, "from .NET"]), "doubled");
        await b.OutputAsync(ArrowTests.Batches(10, 10), "table"); // present, but C reads only JSON (pyarrow is optional)

        var printed = await RunPythonAsync(
            BlobOutputSetTests.WriteContext(_pipeline, "C", [("B", c.InputOf("B"))], c.OutputOf("C")),
            """
            import json, orchest
            from orchest import _blob, transfer
            from orchest._context import load
            from orchest._location import parse_location
            ctx = load()
            location = parse_location(ctx.inputs[0].location, "B")
            entries = {e.name: e for e in transfer._list_outputs(location)}
            value = transfer._read_output(location, entries["doubled"], "B", "uuid-B")
            print(json.dumps({"value": value, "producer": entries["doubled"].meta["producer"],
                              "table": entries["table"].serialization}, ensure_ascii=False))
            """);

        var result = JsonNode.Parse(printed)!;
        Assert.Equal("""{"rows":6,"mean_value":1.5,"labels":["a","é","from .NET"]}""", result["value"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal("dotnet", (string?)result["producer"]);
        Assert.Equal("ARROW_TABLE", (string?)result["table"]);
    }

    internal static string? Python() =>
        File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : AzuriteBlobServer.FindOnPath("python3");

    private static async Task<string> RunPythonAsync(string contextPath, string code)
    {
        var start = new ProcessStartInfo(Python()!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        start.Environment["PYTHONPATH"] = Path.Combine(AzuriteBlobServer.RepositoryRoot(), "sdk", "python");
        start.Environment["ORCHEST_STEP_CONTEXT"] = contextPath;
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"python exited with {process.ExitCode}: {await stderr}");
        return (await stdout).Trim();
    }

    private sealed record PythonStats(int Rows, double MeanValue, string[] Labels);
}

/// <summary>An <see cref="AzuriteFactAttribute"/> that also needs python3 (skipped without it, except under CI=true).</summary>
public sealed class PythonAzuriteFactAttribute : FactAttribute
{
    public PythonAzuriteFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var reason = AzuriteBlobServer.Unavailable() ?? (BlobInteropTests.Python() is null ? "python3 is not installed" : null);
        if (reason is not null && !ci)
        {
            Skip = $"Not available: {reason}";
        }
    }
}
