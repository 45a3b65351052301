namespace Orchest.Functions.Ui.Views;

/// <summary>
/// One output of a code cell, in the richest form the page can show safely: <c>html</c> (sanitised),
/// <c>image</c> (a data: URL of a PNG, JPEG or SVG, shown in an img element where SVG cannot run script),
/// <c>text</c>, <c>stderr</c> or <c>error</c> (shown as text).
/// </summary>
public sealed record NotebookOutput(string Kind, string? Text = null, string? Html = null, string? ImageUrl = null);
