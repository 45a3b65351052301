using Orchest.Engine.Runs;

namespace Orchest.Functions.Ui.Views;

/// <summary>One step as the run page and its live updates (<c>/ui/runs/{run}/state</c>) show it.</summary>
public sealed record StepView(
    string Uuid,
    string Title,
    string Status,
    int Attempt,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    string Duration,
    int? ExitCode,
    string? Message)
{
    public string Icon => StatusText.Icon(Status);

    public string Css => StatusText.Css(Status);

    public bool IsTerminal => StatusText.IsTerminal(Status);

    /// <summary>What a screen reader says for the step's box in the graph.</summary>
    public string Label => Status.Length == 0 ? Title
        : Attempt > 1
        ? $"{Title}: {Status}, {Duration}, attempt {Attempt}"
        : Duration.Length > 0 ? $"{Title}: {Status}, {Duration}" : $"{Title}: {Status}";

    public static StepView From(StepRecord step, DateTimeOffset now) => new(
        step.Uuid, step.Title, step.Status.ToWire(), step.Attempt, step.Started, step.Finished,
        StatusText.Duration(step.Started, step.Finished, now), step.ExitCode, step.Message);

    /// <summary>A step of the pipeline that this run does not run (selection and incoming runs).</summary>
    public static StepView Absent(GraphNode node) => new(node.Uuid, node.Title, StatusText.NotInRun, 0, null, null, "", null, null);
}
