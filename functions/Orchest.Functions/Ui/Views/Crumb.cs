namespace Orchest.Functions.Ui.Views;

/// <summary>One link of a page's breadcrumb trail (the current page has none).</summary>
public sealed record Crumb(string Text, string? Href = null);
