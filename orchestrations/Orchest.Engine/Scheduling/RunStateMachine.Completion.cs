using Orchest.Engine.Runs;
using Orchest.Pipelines;

namespace Orchest.Engine.Scheduling;

public static partial class RunStateMachine
{
    /// <summary>
    /// The owner reports how its execution ended. Success commits the output set and dispatches
    /// children whose parents all succeeded; failure retries (policy) or fails the step and then
    /// applies the run's failure policy; a result for an attempt that is no longer current is rejected.
    /// </summary>
    public static TransitionResult Complete(
        RunSnapshot snapshot, StepWorkItem item, string owner, StepOutcome outcome, DateTimeOffset now)
    {
        var step = snapshot.FindStep(item.StepUuid);
        if (step is null)
        {
            return TransitionResult.Reject("unknown step");
        }

        if (step.Status != ExecutionStatus.Started || step.Attempt != item.Attempt || step.Owner != owner)
        {
            return TransitionResult.Reject($"step is {step.Status.ToWire()} at attempt {step.Attempt} (owner {step.Owner ?? "none"})");
        }

        var b = new TransitionBuilder(snapshot, now);
        switch (outcome.Kind)
        {
            case StepOutcomeKind.Succeeded:
                b.SetStep(step with
                {
                    Status = ExecutionStatus.Success,
                    Finished = now,
                    ExitCode = outcome.ExitCode,
                    OutputSet = outcome.OutputSet,
                    Owner = null,
                    LeaseExpires = null,
                    Message = null,
                });
                b.Event(RunEventTypes.StepSucceeded, ExecutionStatus.Success, step.Uuid, step.Attempt);
                break;
            case StepOutcomeKind.Failed when step.Attempt < step.Retry.MaxAttempts && !b.Run.CancelRequested:
                // Attempt N failed, so this is retry number N.
                Redispatch(b, step, step.Retry.DelayBefore(step.Attempt), outcome.Message, RunEventTypes.StepRetrying);
                break;
            case StepOutcomeKind.Failed:
                Fail(b, step, outcome.ExitCode, outcome.Message ?? "step failed");
                break;
            default:
                Abort(b, step, outcome.Message ?? "step stopped");
                break;
        }

        DispatchReady(b);
        FinishRunIfDone(b);
        return b.Build();
    }

    /// <summary>
    /// A STARTED step whose lease ran out (its worker died): dispatched again as a new attempt, or
    /// failed after <see cref="MaxLostAttempts"/> lost attempts.
    /// </summary>
    public static TransitionResult ExpireLease(RunSnapshot snapshot, string stepUuid, DateTimeOffset now)
    {
        var step = snapshot.FindStep(stepUuid);
        if (snapshot.Run.Status.IsTerminal() || step is null || step.Status != ExecutionStatus.Started
            || step.LeaseExpires is null || step.LeaseExpires > now)
        {
            return TransitionResult.Reject("lease is not expired");
        }

        var b = new TransitionBuilder(snapshot, now);
        RecoverLostStep(b, step);
        DispatchReady(b);
        FinishRunIfDone(b);
        return b.Build();
    }

    /// <summary>A STARTED step whose worker died: a new attempt, or FAILURE after <see cref="MaxLostAttempts"/>.</summary>
    private static void RecoverLostStep(TransitionBuilder b, StepRecord step)
    {
        var lost = step with { LostAttempts = step.LostAttempts + 1 };
        var message = $"worker {step.Owner} stopped renewing its lease on attempt {step.Attempt}";
        b.Event(RunEventTypes.StepWorkerLost, ExecutionStatus.Started, step.Uuid, step.Attempt, message);
        if (lost.LostAttempts >= MaxLostAttempts)
        {
            Fail(b, lost, null, $"{message}; gave up after {MaxLostAttempts} lost attempts");
        }
        else
        {
            Redispatch(b, lost, TimeSpan.Zero, message, RunEventTypes.StepRetrying);
        }
    }

    private static void Redispatch(TransitionBuilder b, StepRecord step, TimeSpan delay, string? message, string eventType)
    {
        var next = step with
        {
            Status = ExecutionStatus.Pending,
            Attempt = step.Attempt + 1,
            Dispatched = true,
            DispatchedAt = b.Now,
            NotBefore = b.Now + delay,
            Owner = null,
            LeaseExpires = null,
            Message = message,
        };
        b.SetStep(next);
        b.Event(eventType, ExecutionStatus.Pending, step.Uuid, next.Attempt, message);
        b.Enqueue(new StepWorkItem(b.Run.Id, step.Uuid, next.Attempt), delay);
    }

    private static void Fail(TransitionBuilder b, StepRecord step, int? exitCode, string message)
    {
        b.SetStep(step with
        {
            Status = ExecutionStatus.Failure,
            Finished = b.Now,
            ExitCode = exitCode,
            Owner = null,
            LeaseExpires = null,
            Message = message,
        });
        b.Event(RunEventTypes.StepFailed, ExecutionStatus.Failure, step.Uuid, step.Attempt, message);

        var reason = $"step \"{step.Title}\" failed";
        var victims = b.Run.FailurePolicy == FailurePolicy.Continue
            ? Descendants(b, step.Uuid)
            : b.Steps.Where(s => s.Uuid != step.Uuid).Select(s => s.Uuid).ToHashSet(StringComparer.Ordinal);
        foreach (var victim in b.Steps.Where(s => victims.Contains(s.Uuid) && !s.Status.IsTerminal()).ToList())
        {
            Abort(b, victim, reason);
        }
    }

    private static HashSet<string> Descendants(TransitionBuilder b, string uuid)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(b.Step(uuid).Children);
        while (stack.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var child in b.Step(next).Children)
                {
                    stack.Push(child);
                }
            }
        }

        return seen;
    }
}
