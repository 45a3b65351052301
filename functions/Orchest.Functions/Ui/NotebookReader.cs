using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ganss.Xss;
using Markdig;
using Orchest.Engine;
using Orchest.Functions.Ui.Views;

namespace Orchest.Functions.Ui;

/// <summary>
/// Reads an executed notebook (nbformat 4) for the notebook page. Whatever a notebook holds is data, not
/// markup: text stays text (Razor escapes it), HTML outputs and markdown go through an allow-list
/// sanitiser (no script, no event handlers, no javascript: links, no styles), images become data: URLs
/// of the declared image types only.
/// </summary>
internal sealed class NotebookReader
{
    private static readonly string[] ImageTypes = ["image/png", "image/jpeg", "image/svg+xml"];
    private static readonly MarkdownPipeline MarkdownOptions = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    /// <summary>The notebook, or null when the stream is not a notebook document.</summary>
    public async Task<NotebookView?> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        JsonNode? document;
        try
        {
            document = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }

        if (Field(document, "cells") is not JsonArray cells)
        {
            return null;
        }

        var language = Text(Field(Field(Field(document, "metadata"), "kernelspec"), "language")) is { Length: > 0 } l ? l : "python";
        return new NotebookView(language, cells.OfType<JsonObject>().Select(ReadCell).ToList());
    }

    /// <summary>HTML from a notebook made safe to put in a page.</summary>
    public string Sanitize(string html) => _sanitizer.Sanitize(html);

    private NotebookCell ReadCell(JsonObject cell)
    {
        var kind = Text(cell["cell_type"]) is { Length: > 0 } k ? k : "raw";
        var source = Text(cell["source"]);
        var skipped = Field(cell["metadata"], "tags") is JsonArray tags && tags.Any(t => Text(t) == "skip");
        if (kind == "markdown")
        {
            return new NotebookCell(kind, source, Sanitize(Markdown.ToHtml(source, MarkdownOptions)), null, [], skipped);
        }

        var count = cell["execution_count"] is JsonValue value && value.TryGetValue<int>(out var n) ? n : (int?)null;
        var outputs = cell["outputs"] is JsonArray array ? array.OfType<JsonObject>().Select(ReadOutput).OfType<NotebookOutput>().ToList() : [];
        return new NotebookCell(kind, source, null, count, outputs, skipped);
    }

    private NotebookOutput? ReadOutput(JsonObject output)
    {
        switch (Text(output["output_type"]))
        {
            case "stream":
                return new NotebookOutput(Text(output["name"]) == "stderr" ? "stderr" : "text", TerminalEscapes.Strip(Text(output["text"])));
            case "error":
                var trace = output["traceback"] is JsonArray lines ? string.Join('\n', lines.Select(Text)) : "";
                var error = trace.Length > 0 ? trace : $"{Text(output["ename"])}: {Text(output["evalue"])}";
                return new NotebookOutput("error", TerminalEscapes.Strip(error));
            case "execute_result" or "display_data" when output["data"] is JsonObject data:
                return ReadData(data);
            default:
                return null;
        }
    }

    private NotebookOutput? ReadData(JsonObject data)
    {
        foreach (var type in ImageTypes)
        {
            if (data[type] is { } image && ImageUrl(type, Text(image)) is { } url)
            {
                return new NotebookOutput("image", ImageUrl: url);
            }
        }

        if (data["text/html"] is { } html)
        {
            return new NotebookOutput("html", Html: Sanitize(Text(html)));
        }

        return data["text/plain"] is { } plain ? new NotebookOutput("text", TerminalEscapes.Strip(Text(plain))) : null;
    }

    /// <summary>PNG and JPEG are base64 in a notebook (checked here), SVG is text (encoded here).</summary>
    private static string? ImageUrl(string type, string content)
    {
        if (type == "image/svg+xml")
        {
            return $"data:{type};base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(content))}";
        }

        var base64 = string.Concat(content.Where(c => !char.IsWhiteSpace(c)));
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out _) ? $"data:{type};base64,{base64}" : null;
    }

    /// <summary>A member of an object; null for anything else (a notebook is user data and may have any shape).</summary>
    private static JsonNode? Field(JsonNode? node, string name) => node is JsonObject o ? o[name] : null;

    /// <summary>nbformat keeps multi-line text as a string or as a list of lines.</summary>
    private static string Text(JsonNode? node) => node switch
    {
        JsonArray parts => string.Concat(parts.Select(p => p is JsonValue v && v.TryGetValue<string>(out var s) ? s : "")),
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => "",
    };

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();

        // Styles would need inline CSS, which the UI's content security policy refuses anyway; classes stay
        // for pandas' "dataframe" tables.
        sanitizer.AllowedTags.Remove("style");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        return sanitizer;
    }
}
