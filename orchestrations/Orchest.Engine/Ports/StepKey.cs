namespace Orchest.Engine.Ports;

/// <summary>A step of a pipeline of a project: what committed outputs are addressed by.</summary>
public sealed record StepKey(string ProjectId, string PipelineUuid, string StepUuid);
