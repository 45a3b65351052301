using Orchest.Engine.Runs;

namespace Orchest.Durable;

/// <summary>
/// What a run's orchestration starts from: the planned run (its graph is the orchestration's state, so it
/// travels with it; Durable Task keeps large inputs in blobs) and how often it publishes its progress.
/// Parameters are in the run's definition blob, environment values nowhere but there (encrypted).
/// </summary>
public sealed record PipelineRunInput(RunRecord Run, IReadOnlyList<StepRecord> Steps, TimeSpan ProgressInterval)
{
    public override string ToString() => $"PipelineRunInput {{ RunId = {Run.Id}, Steps = {Steps.Count} }}";
}
