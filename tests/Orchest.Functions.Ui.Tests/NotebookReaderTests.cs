using System.Text;
using System.Text.Json.Nodes;
using Orchest.Functions.Ui.Views;

namespace Orchest.Functions.Ui.Tests;

/// <summary>What the notebook page gets from an executed notebook: text as text, HTML sanitised, images as data: URLs.</summary>
public sealed class NotebookReaderTests
{
    private static readonly string Png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
    private readonly NotebookReader _reader = new();

    [Fact]
    public async Task ReadAsync_HtmlOutputWithScript_KeepsTheTableAndDropsEveryWayToRunScript()
    {
        var notebook = await ReadAsync(Code(Output("execute_result", new JsonObject
        {
            ["text/html"] = "<table class=\"dataframe\"><tr><td>1</td></tr></table><script>alert(1)</script>"
                            + "<img src=x onerror=\"alert(2)\"><a href=\"javascript:alert(3)\">x</a><style>body{display:none}</style>",
            ["text/plain"] = "plain",
        })));

        var output = Assert.Single(Assert.Single(notebook.Cells).Outputs);
        Assert.Equal("html", output.Kind);
        Assert.Contains("<table class=\"dataframe\">", output.Html, StringComparison.Ordinal);
        foreach (var danger in (string[])["<script", "onerror", "javascript:", "<style", "alert("])
        {
            Assert.DoesNotContain(danger, output.Html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ReadAsync_MarkdownWithRawHtml_RendersMarkdownAndShowsTheHtmlAsText()
    {
        var notebook = await ReadAsync(new JsonObject { ["cell_type"] = "markdown", ["source"] = new JsonArray("# Title\n", "<script>alert(1)</script> **bold**") });

        var html = Assert.Single(notebook.Cells).Html!;
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Images_BecomeDataUrlsOfTheirTypeAndBadBase64FallsBackToText()
    {
        var notebook = await ReadAsync(Code(
            Output("display_data", new JsonObject { ["image/png"] = Png + "\n", ["text/plain"] = "<Figure>" }),
            Output("display_data", new JsonObject { ["image/svg+xml"] = "<svg onload=\"alert(1)\"></svg>" }),
            Output("display_data", new JsonObject { ["image/png"] = "not base64!", ["text/plain"] = "<Figure size 640x480>" })));

        var outputs = Assert.Single(notebook.Cells).Outputs;
        Assert.Equal(("image", $"data:image/png;base64,{Png}"), (outputs[0].Kind, outputs[0].ImageUrl));
        Assert.StartsWith("data:image/svg+xml;base64,", outputs[1].ImageUrl, StringComparison.Ordinal);
        Assert.Equal(("text", "<Figure size 640x480>"), (outputs[2].Kind, outputs[2].Text));
    }

    [Fact]
    public async Task ReadAsync_StreamsAndErrors_AreTextWithoutTerminalEscapes()
    {
        var notebook = await ReadAsync(Code(
            new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = new JsonArray("a\n", "b\n") },
            new JsonObject { ["output_type"] = "stream", ["name"] = "stderr", ["text"] = "warn\n" },
            new JsonObject { ["output_type"] = "error", ["ename"] = "ValueError", ["evalue"] = "bad", ["traceback"] = new JsonArray("\u001b[0;31mValueError\u001b[0m: bad") }));

        var outputs = Assert.Single(notebook.Cells).Outputs;
        Assert.Equal([("text", "a\nb\n"), ("stderr", "warn\n"), ("error", "ValueError: bad")], outputs.Select(o => (o.Kind, o.Text)));
    }

    [Fact]
    public async Task ReadAsync_SkipTagAndExecutionCount_AreKept()
    {
        var cell = Code();
        cell["execution_count"] = 7;
        var skipped = Code();
        skipped["metadata"] = new JsonObject { ["tags"] = new JsonArray("skip") };

        var notebook = await ReadAsync(cell, skipped);

        Assert.Equal([(7, false), (null, true)], notebook.Cells.Select(c => (c.ExecutionCount, c.Skipped)));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"nbformat\": 4}")]
    [InlineData("[]")]
    public async Task ReadAsync_NotANotebook_ReturnsNull(string content)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));

        Assert.Null(await _reader.ReadAsync(stream));
    }

    private async Task<NotebookView> ReadAsync(params JsonObject[] cells)
    {
        var document = new JsonObject { ["nbformat"] = 4, ["metadata"] = new JsonObject(), ["cells"] = new JsonArray(cells) };
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));
        return (await _reader.ReadAsync(stream))!;
    }

    private static JsonObject Code(params JsonObject[] outputs) =>
        new() { ["cell_type"] = "code", ["source"] = "x = 1", ["execution_count"] = null, ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(outputs) };

    private static JsonObject Output(string type, JsonObject data) => new() { ["output_type"] = type, ["data"] = data, ["metadata"] = new JsonObject() };
}
