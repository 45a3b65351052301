namespace Orchest.Engine.Scheduling;

/// <summary>A queue message: "attempt N of step S of run R is ready".</summary>
public sealed record StepWorkItem(string RunId, string StepUuid, int Attempt);
