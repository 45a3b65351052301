namespace Orchest.Functions.Ui.Views;

/// <summary>What a user entered in the start-a-run form, shown again when the run cannot start.</summary>
public sealed record NewRunEntry(string? Pipeline, string? Ref, string RunType, IReadOnlyList<string> Steps, string Parameters);
