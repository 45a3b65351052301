namespace Orchest.Functions.Ui.Views;

/// <summary>An executed notebook, ready to show read-only: its cells with their outputs.</summary>
public sealed record NotebookView(string Language, IReadOnlyList<NotebookCell> Cells);
