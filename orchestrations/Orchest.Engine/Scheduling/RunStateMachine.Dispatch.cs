using Orchest.Engine.Runs;

namespace Orchest.Engine.Scheduling;

public static partial class RunStateMachine
{
    /// <summary>
    /// Dispatches every PENDING step whose parents all succeeded, in topological order, while the run
    /// has fewer than max_steps_parallelism steps dispatched or running (0 = unbounded).
    /// <paramref name="succeeded"/>, when given, is the one step this transition took to SUCCESS: with
    /// no parallelism limit only its children can have become ready (every other ready step was
    /// dispatched by the transition that made it ready), so only they are looked at; a run of N steps
    /// then schedules in O(N + edges) instead of O(N²).
    /// </summary>
    private static void DispatchReady(TransitionBuilder b, StepRecord? succeeded = null)
    {
        if (b.Run.Status != ExecutionStatus.Started || b.Run.CancelRequested)
        {
            return;
        }

        var limit = b.Run.MaxStepsParallelism;
        IEnumerable<StepRecord> candidates = limit == 0 && succeeded is not null
            ? succeeded.Children.Select(b.Step).OrderBy(s => b.IndexOf(s.Uuid))
            : b.Steps;
        var active = limit > 0 ? b.Steps.Count(IsActive) : 0;
        foreach (var step in candidates.ToList())
        {
            if (limit > 0 && active >= limit)
            {
                return;
            }

            if (step.Status != ExecutionStatus.Pending || step.Dispatched || !ParentsSucceeded(b, step))
            {
                continue;
            }

            var attempt = Math.Max(step.Attempt, 1);
            b.SetStep(step with { Dispatched = true, DispatchedAt = b.Now, Attempt = attempt });
            b.Enqueue(new StepWorkItem(b.Run.Id, step.Uuid, attempt), TimeSpan.Zero);
            active++;
        }
    }

    private static bool IsActive(StepRecord s) =>
        s.Status == ExecutionStatus.Started || (s.Status == ExecutionStatus.Pending && s.Dispatched);

    /// <summary>
    /// Whether every parent succeeded. The last parents first: they were dispatched last, so they are
    /// the likeliest to be unfinished, and a join of N parents answers "no" in one look, not N.
    /// </summary>
    private static bool ParentsSucceeded(TransitionBuilder b, StepRecord step)
    {
        for (var i = step.Parents.Count - 1; i >= 0; i--)
        {
            if (b.Step(step.Parents[i]).Status != ExecutionStatus.Success)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Ends the run once every step is terminal: FAILURE if any step failed, ABORTED if any was aborted, else SUCCESS.</summary>
    private static void FinishRunIfDone(TransitionBuilder b)
    {
        if (b.Run.Status.IsTerminal() || b.AnyStepFromLast(s => !s.Status.IsTerminal()))
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
