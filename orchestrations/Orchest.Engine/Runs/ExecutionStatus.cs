namespace Orchest.Engine.Runs;

/// <summary>Status of a run or of one of its steps (Orchest's five values). Terminal states never change.</summary>
public enum ExecutionStatus
{
    Pending,
    Started,
    Success,
    Failure,
    Aborted,
}
