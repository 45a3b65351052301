using Orchest.Engine.Runs;

namespace Orchest.Durable;

/// <summary>
/// What a run's orchestration starts from: the planned run (its graph is the orchestration's state, so it
/// travels with it; Durable Task keeps large inputs in blobs) and how often it publishes its progress.
/// Parameters are in the run's definition blob, environment values nowhere but there (encrypted).
/// <see cref="Services"/> names the pipeline services the run starts before its first step (none: null or empty).
/// </summary>
public sealed record PipelineRunInput(RunRecord Run, IReadOnlyList<StepRecord> Steps, TimeSpan ProgressInterval, IReadOnlyList<string>? Services = null)
{
    public override string ToString() => $"PipelineRunInput {{ RunId = {Run.Id}, Steps = {Steps.Count} }}";
}
