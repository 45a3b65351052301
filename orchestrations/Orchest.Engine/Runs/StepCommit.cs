namespace Orchest.Engine.Runs;

/// <summary>An output set the run accepted as its step's result: the step's latest output from now on.</summary>
public sealed record StepCommit(string StepUuid, string OutputSet);
