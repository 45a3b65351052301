using Orchest.Functions.Projects;
using Orchest.Git;
using Orchest.Pipelines;

namespace Orchest.Functions.Ui.Views;

/// <summary>The start-a-run page: the project's pipelines at a ref and, once one is chosen, its graph, steps and parameters.</summary>
public sealed record NewRunModel
{
    public required ProjectEntry Project { get; init; }
    public string? Ref { get; init; }
    public PipelineListing? Listing { get; init; }
    public PipelineDefinition? Pipeline { get; init; }
    public GraphLayout? Layout { get; init; }
    public NewRunEntry? Entered { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];

    public string RunType => Entered?.RunType ?? "full";

    public bool IsChosen(string step) => Entered?.Steps.Contains(step) ?? false;

    /// <summary>The parameters box starts with the file's parameters, so people edit rather than type them.</summary>
    public string Parameters => Entered?.Parameters
        ?? Pipeline?.Parameters.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })
        ?? "{}";
}
