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
        ApplyOutcome(b, step, outcome, now);
        DispatchReady(b, outcome.Kind == StepOutcomeKind.Succeeded ? step : null);
        FinishRunIfDone(b);
        return b.Build();
    }

    /// <summary>
    /// A durable orchestrator learns how a dispatched attempt went, in one report: the host that ran it,
    /// the attempt number it ran as (higher than dispatched when earlier executions of the same dispatch
    /// were lost with their host) and its outcome. Applies <see cref="Begin"/> and <see cref="Complete"/>
    /// as one transition; a report of a host that stopped before the step ended re-dispatches it.
    /// </summary>
    public static TransitionResult Report(RunSnapshot snapshot, StepWorkItem item, StepReport report, DateTimeOffset now)
    {
        if (CheckDispatched(snapshot, item) is { } rejection)
        {
            return TransitionResult.Reject(rejection);
        }

        if (snapshot.Run.Status.IsTerminal())
        {
            return TransitionResult.Reject($"run is {snapshot.Run.Status.ToWire()}");
        }

        var b = new TransitionBuilder(snapshot, now);
        var step = b.Step(item.StepUuid);
        for (var lost = item.Attempt; lost < report.Attempt; lost++)
        {
            // Earlier executions of this dispatch began and their host was lost: each is an attempt of its own.
            var host = report.LostOn is { } hosts && lost - item.Attempt < hosts.Count ? hosts[lost - item.Attempt] : "unknown";
            var message = $"host {host} was lost while running attempt {lost}";
            b.Event(RunEventTypes.StepWorkerLost, ExecutionStatus.Started, step.Uuid, lost, message, report.Started);
            b.Event(RunEventTypes.StepRetrying, ExecutionStatus.Pending, step.Uuid, lost + 1, message, report.Started);
            step = step with { LostAttempts = step.LostAttempts + 1 };
        }

        step = BeginStep(b, step, report.Attempt, report.Host, report.Started);
        if (report.HostStopped)
        {
            RecoverLostStep(b, step, $"host {report.Host} stopped while running attempt {report.Attempt}");
        }
        else if (report.Outcome.Kind == StepOutcomeKind.Stopped && !b.Run.CancelRequested)
        {
            // Hosts stop a run's steps only when the run must stop, and the run has not ended (it would have
            // rejected this report): its cancel was asked for and reached the step before the run (the cancel
            // event is late, or was lost with a host). The run is cancelled now rather than left waiting.
            ApplyOutcome(b, step, report.Outcome, report.Finished);
            CancelRun(b, $"run cancelled (step \"{step.Title}\" was stopped for the cancel before the cancel reached the run)");
        }
        else
        {
            ApplyOutcome(b, step, report.Outcome, report.Finished);
        }

        DispatchReady(b);
        FinishRunIfDone(b);
        return b.Build();
    }

    private static void ApplyOutcome(TransitionBuilder b, StepRecord step, StepOutcome outcome, DateTimeOffset finished)
    {
        switch (outcome.Kind)
        {
            case StepOutcomeKind.Succeeded:
                b.SetStep(step with
                {
                    Status = ExecutionStatus.Success,
                    Finished = finished,
                    ExitCode = outcome.ExitCode,
                    OutputSet = outcome.OutputSet,
                    Owner = null,
                    Message = null,
                });
                b.Event(RunEventTypes.StepSucceeded, ExecutionStatus.Success, step.Uuid, step.Attempt, at: finished);
                break;
            case StepOutcomeKind.Failed when step.Attempt < step.Retry.MaxAttempts + step.LostAttempts && !b.Run.CancelRequested:
                // Attempt N failed, so this is retry number N (attempts lost with their host do not count).
                Redispatch(b, step, step.Retry.DelayBefore(step.Attempt - step.LostAttempts), outcome.Message, RunEventTypes.StepRetrying);
                break;
            case StepOutcomeKind.Failed:
                Fail(b, step, outcome.ExitCode, outcome.Message ?? "step failed", finished);
                break;
            default:
                Abort(b, step, outcome.Message ?? "step stopped");
                break;
        }
    }

    /// <summary>A STARTED step whose host died or stopped: a new attempt, or FAILURE after <see cref="MaxLostAttempts"/>.</summary>
    private static void RecoverLostStep(TransitionBuilder b, StepRecord step, string message)
    {
        var lost = step with { LostAttempts = step.LostAttempts + 1 };
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
            Message = message,
        };
        b.SetStep(next);
        b.Event(eventType, ExecutionStatus.Pending, step.Uuid, next.Attempt, message);
        b.Enqueue(new StepWorkItem(b.Run.Id, step.Uuid, next.Attempt), delay);
    }

    private static void Fail(TransitionBuilder b, StepRecord step, int? exitCode, string message, DateTimeOffset? finished = null)
    {
        b.SetStep(step with
        {
            Status = ExecutionStatus.Failure,
            Finished = finished ?? b.Now,
            ExitCode = exitCode,
            Owner = null,
            Message = message,
        });
        b.Event(RunEventTypes.StepFailed, ExecutionStatus.Failure, step.Uuid, step.Attempt, message, finished);

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
