using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchest.Sdk.Tests;

/// <summary>
/// A project folder in a temp directory where test "steps" write step context files as the engine
/// would (PROTOCOL.md §2) and read and write real output sets. Deleted on dispose.
/// </summary>
public sealed class TestPipeline : IDisposable
{
    public TestPipeline()
    {
        Root = Path.Combine(Path.GetTempPath(), "orchest-sdk-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PipelineUuid { get; } = Guid.NewGuid().ToString();

    public string RunUuid { get; } = Guid.NewGuid().ToString();

    /// <summary>A step with its own output set folder (not created until something is written).</summary>
    public TestStep Step(string title) => new(Guid.NewGuid().ToString(), title, Path.Combine(Root, "data", title, RunUuid + "-1"));

    /// <summary>Writes the context file of <paramref name="self"/> with <paramref name="parents"/> in incoming_connections order and loads it.</summary>
    public StepContext Context(TestStep self, TestStep[]? parents = null, object? stepParameters = null, object? pipelineParameters = null) =>
        StepContext.Load(WriteContextFile(self, parents ?? [], stepParameters, pipelineParameters));

    public string WriteContextFile(TestStep self, TestStep[] parents, object? stepParameters = null, object? pipelineParameters = null)
    {
        var context = new JsonObject
        {
            ["protocol"] = 1,
            ["run_uuid"] = RunUuid,
            ["pipeline_uuid"] = PipelineUuid,
            ["step_uuid"] = self.Uuid,
            ["step_title"] = self.Title,
            ["attempt"] = 1,
            ["output"] = Location(self.OutputDir),
            ["inputs"] = new JsonArray([.. parents.Select(p => new JsonObject
            {
                ["step_uuid"] = p.Uuid,
                ["title"] = p.Title,
                ["location"] = p.NeverRan ? null : Location(p.OutputDir),
            })]),
            ["step_parameters"] = JsonSerializer.SerializeToNode(stepParameters ?? new { }),
            ["pipeline_parameters"] = JsonSerializer.SerializeToNode(pipelineParameters ?? new { }),
            ["a_field_from_a_newer_engine"] = "ignored",
        };
        return WriteContextJson(self, context.ToJsonString());
    }

    public string WriteContextJson(TestStep self, string json)
    {
        var path = Path.Combine(Root, "contexts", self.Title + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private static JsonObject Location(string dir) => new() { ["kind"] = "dir", ["path"] = dir };
}

public sealed record TestStep(string Uuid, string Title, string OutputDir)
{
    /// <summary>A parent whose location in the context is null (it never produced a committed output set).</summary>
    public bool NeverRan { get; init; }

    public string[] Files() =>
        Directory.Exists(OutputDir)
            ? [.. Directory.EnumerateFiles(OutputDir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Writes one output by hand, as another SDK would: payload, then metadata.</summary>
    public void WriteRaw(string stem, byte[] payload, string metaJson)
    {
        Directory.CreateDirectory(OutputDir);
        File.WriteAllBytes(Path.Combine(OutputDir, stem + ".data"), payload);
        File.WriteAllText(Path.Combine(OutputDir, stem + ".meta.json"), metaJson);
    }
}
