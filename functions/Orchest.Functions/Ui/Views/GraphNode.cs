namespace Orchest.Functions.Ui.Views;

/// <summary>A step's box in the pipeline graph (top-left corner in the file's coordinates).</summary>
public sealed record GraphNode(string Uuid, string Title, string FilePath, double X, double Y);
