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

    /// <summary>A host starts a dispatched step: PENDING -> STARTED, owned by that host.</summary>
    /// <param name="snapshot">The run.</param>
    /// <param name="item">The dispatched work item.</param>
    /// <param name="owner">The host running the step.</param>
    /// <param name="startedAt">When the step's execution began (the host's clock; a durable orchestrator learns it late).</param>
    /// <param name="now">Decision time.</param>
    public static TransitionResult Begin(
        RunSnapshot snapshot, StepWorkItem item, string owner, DateTimeOffset startedAt, DateTimeOffset now)
    {
        if (snapshot.Run.Status.IsTerminal())
        {
            return TransitionResult.Reject($"run is {snapshot.Run.Status.ToWire()}");
        }

        if (CheckDispatched(snapshot, item) is { } rejection)
        {
            return TransitionResult.Reject(rejection);
        }

        var b = new TransitionBuilder(snapshot, now);
        BeginStep(b, b.Step(item.StepUuid), item.Attempt, owner, startedAt);
        return b.Build();
    }

    private static string? CheckDispatched(RunSnapshot snapshot, StepWorkItem item) => snapshot.FindStep(item.StepUuid) switch
    {
        null => "unknown step",
        { Status: ExecutionStatus.Pending, Dispatched: true } step when step.Attempt == item.Attempt => null,
        var step => $"step is {step.Status.ToWire()} at attempt {step.Attempt}, message is for attempt {item.Attempt}",
    };

    private static StepRecord BeginStep(TransitionBuilder b, StepRecord step, int attempt, string owner, DateTimeOffset startedAt)
    {
        var started = step with
        {
            Status = ExecutionStatus.Started,
            Attempt = attempt,
            Started = step.Started ?? startedAt,
            Owner = owner,
            NotBefore = null,
        };
        b.SetStep(started);
        b.Event(RunEventTypes.StepStarted, ExecutionStatus.Started, step.Uuid, attempt, at: startedAt);
        return started;
    }

    /// <summary>Cancel: every unfinished step ABORTED (running ones stopped), the run ABORTED.</summary>
    public static TransitionResult Cancel(RunSnapshot snapshot, DateTimeOffset now, string reason = "run cancelled")
    {
        if (snapshot.Run.Status.IsTerminal())
        {
            return TransitionResult.Reject($"run is already {snapshot.Run.Status.ToWire()}");
        }

        var b = new TransitionBuilder(snapshot, now);
        CancelRun(b, reason);
        return b.Build();
    }

    private static void CancelRun(TransitionBuilder b, string reason)
    {
        var status = b.Run.Status;
        b.Run = b.Run with { CancelRequested = true };
        b.Event(RunEventTypes.RunCancelRequested, status, message: reason);
        foreach (var step in b.Steps.Where(s => !s.Status.IsTerminal()).ToList())
        {
            Abort(b, step, reason);
        }

        b.Run = b.Run with { Status = ExecutionStatus.Aborted, Started = b.Run.Started ?? b.Now, Finished = b.Now };
        b.Event(RunEventTypes.RunAborted, ExecutionStatus.Aborted, message: reason);
    }

    /// <summary>
    /// The engine itself failed the run (a fault in its orchestration, not a step): every unfinished step
    /// ABORTED, the run FAILURE with <paramref name="reason"/>, so it ends instead of staying STARTED.
    /// </summary>
    public static TransitionResult Fault(RunSnapshot snapshot, DateTimeOffset now, string reason)
    {
        if (snapshot.Run.Status.IsTerminal())
        {
            return TransitionResult.Reject($"run is already {snapshot.Run.Status.ToWire()}");
        }

        var b = new TransitionBuilder(snapshot, now);
        foreach (var step in b.Steps.Where(s => !s.Status.IsTerminal()).ToList())
        {
            Abort(b, step, reason);
        }

        b.Run = b.Run with { Status = ExecutionStatus.Failure, Started = b.Run.Started ?? now, Finished = now };
        b.Event(RunEventTypes.RunFailed, ExecutionStatus.Failure, message: reason);
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
            Message = reason,
        });
        b.Event(RunEventTypes.StepAborted, ExecutionStatus.Aborted, step.Uuid, step.Attempt, reason);
    }
}
