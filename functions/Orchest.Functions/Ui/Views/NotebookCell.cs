namespace Orchest.Functions.Ui.Views;

/// <summary>
/// One cell. <see cref="Html"/> (markdown cells) is sanitised already; <see cref="Source"/> is shown as text.
/// </summary>
public sealed record NotebookCell(string Kind, string Source, string? Html, int? ExecutionCount, IReadOnlyList<NotebookOutput> Outputs, bool Skipped);
