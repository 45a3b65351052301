namespace Orchest.Functions.Ui.Views;

/// <summary>A connection from a parent step to a child, with its SVG path.</summary>
public sealed record GraphEdge(string From, string To, string Path);
