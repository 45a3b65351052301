namespace Orchest.Engine.Runs;

/// <summary>A step's record and its position in the run graph's topological order (steps are listed in that order).</summary>
public sealed record ProgressStep(int Order, StepRecord Step);
