using Orchest.Engine.Runs;

namespace Orchest.Engine.Scheduling;

public static partial class RunStateMachine
{
    /// <summary>
    /// Repairs what a crash can leave behind, in one transition: steps dispatched longer than
    /// <paramref name="staleAfter"/> ago and never claimed get their message again (the enqueue after
    /// a commit may have been lost), steps whose lease expired go to a new attempt (their worker
    /// died), and ready steps that were never dispatched are dispatched. Rejected when nothing is wrong.
    /// </summary>
    public static TransitionResult Reconcile(RunSnapshot snapshot, DateTimeOffset now, TimeSpan staleAfter)
    {
        if (snapshot.Run.Status.IsTerminal())
        {
            return TransitionResult.Reject("run has ended");
        }

        var b = new TransitionBuilder(snapshot, now);
        var repaired = false;
        if (snapshot.Run.Status == ExecutionStatus.Pending && snapshot.Run.Created + staleAfter < now)
        {
            // Created but never started (the creator died between the two commits).
            b.Run = b.Run with { Status = ExecutionStatus.Started, Started = now };
            b.Event(RunEventTypes.RunStarted, ExecutionStatus.Started);
            repaired = true;
        }

        foreach (var step in b.Steps.ToList())
        {
            if (step.Status == ExecutionStatus.Pending && step.Dispatched
                && (step.NotBefore ?? step.DispatchedAt ?? now) + staleAfter < now)
            {
                b.SetStep(step with { DispatchedAt = now, NotBefore = null });
                b.Enqueue(new StepWorkItem(b.Run.Id, step.Uuid, step.Attempt), TimeSpan.Zero);
                repaired = true;
            }
            else if (step.Status == ExecutionStatus.Started && step.LeaseExpires < now)
            {
                RecoverLostStep(b, step);
                repaired = true;
            }
        }

        var before = b.Steps.Count(s => s.Dispatched);
        DispatchReady(b);
        repaired |= b.Steps.Count(s => s.Dispatched) != before;
        FinishRunIfDone(b);
        return repaired ? b.Build() : TransitionResult.Reject("nothing to repair");
    }
}
