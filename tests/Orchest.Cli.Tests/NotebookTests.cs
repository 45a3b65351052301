using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>Notebook steps run cell by cell in a real Jupyter kernel, as Orchest ran them.</summary>
public sealed class NotebookTests : IDisposable
{
    private readonly TempProject _project = new("notebooks");

    [Fact]
    public async Task Run_NotebookWithSkipTaggedCell_SucceedsWithPrefixedLogAndSavesTheExecutedNotebook()
    {
        var notebook = new NotebookBuilder()
            .Markdown("# Features")
            .Code("import orchest\nprint('first cell')")
            .Code("raise RuntimeError('this cell is tagged skip and must not run')", "skip")
            .Code("value = 40 + 2\nprint(value)\norchest.output(value, name='answer')")
            .Code("value * 2");
        _project.Write("nb/features.ipynb", notebook.ToJson());
        var pipeline = new PipelineBuilder()
            .Step("Features", "nb/features.ipynb")
            .Step("Use", "use.py", "import orchest\nprint(orchest.get_inputs()['answer'])\n", ["Features"]);
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["[1] first cell", "", "[2] 42", "", "[3] 84"], result.LogLines("Features"));
        Assert.Equal(["42"], result.LogLines("Use"));

        var executedPath = Path.Combine(_project.OrchestDirectory, "pipelines", pipeline.Uuid, "logs", pipeline.StepUuid("Features") + ".ipynb");
        var cells = JsonNode.Parse(File.ReadAllText(executedPath))!["cells"]!.AsArray();
        Assert.Equal("first cell\n", Text(cells[1]!["outputs"]![0]!["text"]));
        Assert.Empty(cells[2]!["outputs"]!.AsArray());
        Assert.Null(cells[2]!["execution_count"]);
        Assert.Equal("42\n", Text(cells[3]!["outputs"]![0]!["text"]));
        Assert.Equal("84", Text(cells[4]!["outputs"]![0]!["data"]!["text/plain"]));

        // The notebook in the project is left as it was.
        Assert.Equal(notebook.ToJson(), _project.Read("nb/features.ipynb"));
    }

    [Fact]
    public async Task Run_NotebookWithFailingCell_FailsWithTracebackAndStopsExecuting()
    {
        var notebook = new NotebookBuilder()
            .Code("print('before the failure')")
            .Code("def explode():\n    raise ValueError('cell exploded')\nexplode()")
            .Code("print('after the failure')");
        _project.Write("broken.ipynb", notebook.ToJson());
        var pipeline = new PipelineBuilder().Step("Broken", "broken.ipynb").Shell("Child", "Broken");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(new Dictionary<string, string> { ["Broken"] = "FAILURE", ["Child"] = "ABORTED" }, result.StepStatuses);
        var log = result.Log("Broken");
        Assert.StartsWith("[1] before the failure\n", log, StringComparison.Ordinal);
        Assert.Contains("ValueError: cell exploded", log, StringComparison.Ordinal);
        Assert.Contains("explode()", log, StringComparison.Ordinal);
        Assert.DoesNotContain("after the failure", log, StringComparison.Ordinal);

        var executedPath = Path.Combine(_project.OrchestDirectory, "pipelines", pipeline.Uuid, "logs", pipeline.StepUuid("Broken") + ".ipynb");
        var cells = JsonNode.Parse(File.ReadAllText(executedPath))!["cells"]!.AsArray();
        Assert.Equal("error", (string)cells[1]!["outputs"]![0]!["output_type"]!);
        Assert.Equal("ValueError", (string)cells[1]!["outputs"]![0]!["ename"]!);
        Assert.Empty(cells[2]!["outputs"]!.AsArray());
        Assert.Null(cells[2]!["execution_count"]);
    }

    /// <summary>nbformat stores multi-line text either as a string or as a list of lines.</summary>
    private static string Text(JsonNode? node) =>
        node is JsonArray lines ? string.Concat(lines.Select(l => (string)l!)) : (string)node!;

    public void Dispose() => _project.Dispose();
}
