using Orchest.Engine.Runs;
using Orchest.Pipelines;

namespace Orchest.Engine.Scheduling;

/// <summary>
/// The run state machine: given a snapshot and a request (start, claim, complete, cancel, expire),
/// decides the next state. Pure: no I/O, no clock (the caller passes <c>now</c>); every store
/// (memory, Table storage) commits its transitions the same way.
/// </summary>
public static partial class RunStateMachine
{
    /// <summary>Re-dispatches after lost workers before the step is failed (a step that kills its worker every time).</summary>
    public const int MaxLostAttempts = 3;

    /// <summary>PENDING run -> STARTED, root steps dispatched (within max_steps_parallelism).</summary>
    public static TransitionResult Start(RunSnapshot snapshot, DateTimeOffset now)
    {
        if (snapshot.Run.Status != ExecutionStatus.Pending)
        {
            return TransitionResult.Reject($"run is {snapshot.Run.Status.ToWire()}");
        }

        var b = new TransitionBuilder(snapshot, now);
        b.Run = b.Run with { Status = ExecutionStatus.Started, Started = now };
        b.Event(RunEventTypes.RunStarted, ExecutionStatus.Started);
        DispatchReady(b);
        FinishRunIfDone(b);
        return b.Build();
    }

    /// <summary>A worker takes a dispatched step: PENDING -> STARTED with an owner and a lease.</summary>
    public static TransitionResult Claim(
        RunSnapshot snapshot, StepWorkItem item, string owner, DateTimeOffset leaseExpires, DateTimeOffset now)
    {
        if (snapshot.Run.Status.IsTerminal())
        {
            return TransitionResult.Reject($"run is {snapshot.Run.Status.ToWire()}");
        }

        var step = snapshot.FindStep(item.StepUuid);
        if (step is null)
        {
            return TransitionResult.Reject("unknown step");
        }

        if (step.Status != ExecutionStatus.Pending || !step.Dispatched || step.Attempt != item.Attempt)
        {
            return TransitionResult.Reject($"step is {step.Status.ToWire()} at attempt {step.Attempt}, message is for attempt {item.Attempt}");
        }

        var b = new TransitionBuilder(snapshot, now);
        b.SetStep(step with
        {
            Status = ExecutionStatus.Started,
            Started = step.Started ?? now,
            Owner = owner,
            LeaseExpires = leaseExpires,
            NotBefore = null,
        });
        b.Event(RunEventTypes.StepStarted, ExecutionStatus.Started, step.Uuid, step.Attempt);
        return b.Build();
    }

    /// <summary>The owner of a running step extends its lease; rejected once the step is no longer its.</summary>
    public static TransitionResult RenewLease(
        RunSnapshot snapshot, string stepUuid, int attempt, string owner, DateTimeOffset leaseExpires, DateTimeOffset now)
    {
        var step = snapshot.FindStep(stepUuid);
        if (step is null || step.Status != ExecutionStatus.Started || step.Attempt != attempt || step.Owner != owner)
        {
            return TransitionResult.Reject("step is no longer held by this worker");
        }

        var b = new TransitionBuilder(snapshot, now);
        b.SetStep(step with { LeaseExpires = leaseExpires });
        return b.Build();
    }

    /// <summary>Cancel: every unfinished step ABORTED (running ones stopped), the run ABORTED.</summary>
    public static TransitionResult Cancel(RunSnapshot snapshot, DateTimeOffset now, string reason = "run cancelled")
    {
        if (snapshot.Run.Status.IsTerminal())
        {
            return TransitionResult.Reject($"run is already {snapshot.Run.Status.ToWire()}");
        }

        var b = new TransitionBuilder(snapshot, now);
        b.Run = b.Run with { CancelRequested = true };
        b.Event(RunEventTypes.RunCancelRequested, snapshot.Run.Status, message: reason);
        foreach (var step in b.Steps.Where(s => !s.Status.IsTerminal()).ToList())
        {
            Abort(b, step, reason);
        }

        b.Run = b.Run with { Status = ExecutionStatus.Aborted, Started = b.Run.Started ?? now, Finished = now };
        b.Event(RunEventTypes.RunAborted, ExecutionStatus.Aborted, message: reason);
        return b.Build();
    }

    private static void Abort(TransitionBuilder b, StepRecord step, string reason)
    {
        if (step.Status == ExecutionStatus.Started)
        {
            b.Stop(step.Uuid);
        }

        b.SetStep(step with
        {
            Status = ExecutionStatus.Aborted,
            Finished = b.Now,
            Owner = null,
            LeaseExpires = null,
            Message = reason,
        });
        b.Event(RunEventTypes.StepAborted, ExecutionStatus.Aborted, step.Uuid, step.Attempt, reason);
    }
}
