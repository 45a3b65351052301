namespace Orchest.Functions.Ui.Views;

/// <summary>What the graph needs of a step: its connections and, when the file has one, its position.</summary>
public sealed record GraphStep(string Uuid, string Title, string FilePath, IReadOnlyList<string> Parents, (double X, double Y)? Position);
