namespace Orchest.Engine.Scheduling;

public enum StepOutcomeKind
{
    Succeeded,
    Failed,

    /// <summary>The worker stopped the step because the run or step was aborted.</summary>
    Stopped,
}
