using Orchest.Engine.Runs;

namespace Orchest.Engine.Scheduling;

public static partial class RunStateMachine
{
    /// <summary>
    /// Dispatches every PENDING step whose parents all succeeded, in topological order, while the run
    /// has fewer than max_steps_parallelism steps dispatched or running (0 = unbounded).
    /// </summary>
    private static void DispatchReady(TransitionBuilder b)
    {
        if (b.Run.Status != ExecutionStatus.Started || b.Run.CancelRequested)
        {
            return;
        }

        var limit = b.Run.MaxStepsParallelism;
        var active = b.Steps.Count(s => s.Status == ExecutionStatus.Started
                                        || (s.Status == ExecutionStatus.Pending && s.Dispatched));
        foreach (var step in b.Steps.ToList())
        {
            if (limit > 0 && active >= limit)
            {
                return;
            }

            if (step.Status != ExecutionStatus.Pending || step.Dispatched
                || !step.Parents.All(p => b.Step(p).Status == ExecutionStatus.Success))
            {
                continue;
            }

            var attempt = Math.Max(step.Attempt, 1);
            b.SetStep(step with { Dispatched = true, DispatchedAt = b.Now, Attempt = attempt });
            b.Enqueue(new StepWorkItem(b.Run.Id, step.Uuid, attempt), TimeSpan.Zero);
            active++;
        }
    }

    /// <summary>Ends the run once every step is terminal: FAILURE if any step failed, ABORTED if any was aborted, else SUCCESS.</summary>
    private static void FinishRunIfDone(TransitionBuilder b)
    {
        if (b.Run.Status.IsTerminal() || b.Steps.Any(s => !s.Status.IsTerminal()))
        {
            return;
        }

        var steps = b.Steps.ToList();
        var (status, type) = steps.Any(s => s.Status == ExecutionStatus.Failure)
            ? (ExecutionStatus.Failure, RunEventTypes.RunFailed)
            : steps.Any(s => s.Status == ExecutionStatus.Aborted)
                ? (ExecutionStatus.Aborted, RunEventTypes.RunAborted)
                : (ExecutionStatus.Success, RunEventTypes.RunSucceeded);
        b.Run = b.Run with { Status = status, Started = b.Run.Started ?? b.Now, Finished = b.Now };
        b.Event(type, status);
    }
}
