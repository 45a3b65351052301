namespace Orchest.Engine.Ports;

/// <summary>Identifies the log of one attempt of one step of one run.</summary>
public sealed record StepLogTarget(string RunId, string ProjectId, string PipelineUuid, string StepUuid, string StepTitle, int Attempt);
