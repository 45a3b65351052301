using Orchest.Engine.Runs;
using Orchest.Storage.Azure.Blobs;

namespace Orchest.Functions.Ui.Views;

/// <summary>Everything the run page shows; the selected step's parts are empty when none is selected.</summary>
public sealed record RunPageModel
{
    public required RunRecord Run { get; init; }
    public required string ProjectName { get; init; }
    public required GraphLayout Layout { get; init; }

    /// <summary>The run's steps by uuid (pipeline steps the run does not run are absent).</summary>
    public required IReadOnlyDictionary<string, StepView> Steps { get; init; }

    public required string Duration { get; init; }
    public StepView? Selected { get; init; }
    public string SelectedFile { get; init; } = "";
    public string Log { get; init; } = "";

    /// <summary>Bytes of the log already on the page: where the live tail goes on.</summary>
    public long LogOffset { get; init; }

    public bool LogTruncated { get; init; }
    public IReadOnlyList<StepOutputInfo> Outputs { get; init; } = [];
    public string? Notice { get; init; }

    public string Status => Run.Status.ToWire();

    public bool IsTerminal => StatusText.IsTerminal(Status);

    public StepView StepOf(GraphNode node) => Steps.TryGetValue(node.Uuid, out var step) ? step : StepView.Absent(node);

    public bool HasNotebook => SelectedFile.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase);
}
