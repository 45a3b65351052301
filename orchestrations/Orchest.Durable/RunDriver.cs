using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Durable;

/// <summary>
/// One run's story inside its orchestration: start, dispatch ready steps as activities, wait for any
/// result (or a retry's timer, or a cancel), let the pure state machine decide, publish progress, repeat
/// until the run ends. Deterministic: time is the orchestration's, every effect is an activity, a timer
/// or an entity signal, and results are handled one at a time in the order Durable Task replays them.
/// </summary>
internal sealed class RunDriver : IDisposable
{
    /// <summary>Published at once when this many changed steps are waiting (keeps progress messages small).</summary>
    private const int ProgressBatch = 200;

    // Infrastructure failures of the step activity (storage down when it starts) are retried; the
    // step's own failures are outcomes, never exceptions.
    private static readonly TaskOptions StepActivityOptions = TaskOptions.FromRetryPolicy(
        new Microsoft.DurableTask.RetryPolicy(maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2));

    // Starting and removing services: a service that cannot start is an outcome; the Docker API or storage
    // being away is retried (both activities are idempotent).
    private static readonly TaskOptions ServiceActivityOptions = TaskOptions.FromRetryPolicy(
        new Microsoft.DurableTask.RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2));

    private readonly TaskOrchestrationContext _context;
    private readonly TimeSpan _progressInterval;
    private readonly ProgressBuffer _progress = new();
    private readonly Queue<Wakeup> _wakeups = new();
    private readonly EntityInstanceId _projection;
    private TaskCompletionSource _signal = new();
    private readonly IReadOnlyList<string> _serviceNames;
    private readonly List<StepWorkItem> _held = [];
    private CancellationTokenSource? _progressTimer;
    private RunSnapshot _run;

    // While the run's services start, its dispatches wait in _held; then every step gets their endpoints.
    private Task<RunServicesStart>? _servicesStarting;
    private bool _holding;
    private IReadOnlyList<ServiceEndpoint>? _services;

    public RunDriver(TaskOrchestrationContext context, PipelineRunInput input)
    {
        _context = context;
        _run = new RunSnapshot(input.Run, input.Steps);
        _progressInterval = input.ProgressInterval;
        _projection = new EntityInstanceId(RunProjectionEntity.Name, input.Run.Id);
        _serviceNames = input.Services ?? [];
    }

    private DateTimeOffset Now => new(DateTime.SpecifyKind(_context.CurrentUtcDateTime, DateTimeKind.Utc));

    public async Task<string> DriveAsync()
    {
        try
        {
            await DriveStepsAsync();
            Logs.RunEnded(_context.CreateReplaySafeLogger<PipelineRunOrchestrator>(), _run.Run.Id, _run.Run.Status.ToWire());
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !_run.Run.Status.IsTerminal())
        {
            // A fault of the engine, not of a step: the run ends FAILURE with why instead of staying STARTED.
            Decide(RunStateMachine.Fault(_run, Now, $"the run's orchestration failed: {ex.Message}"));
            Logs.RunFaulted(_context.CreateReplaySafeLogger<PipelineRunOrchestrator>(), _run.Run.Id, ex);
        }

        // However the run ended, its services go before it is shown ended (so their logs are there by then).
        await StopServicesAsync();
        await EndCheckpointedAsync();
        Publish(final: true);
        return _run.Run.Status.ToWire();
    }

    private async Task DriveStepsAsync()
    {
        Watch(_context.WaitForExternalEvent<string>(PipelineRunOrchestrator.CancelEvent), reason => new Wakeup.Cancel(reason ?? "run cancelled"));
        _holding = _serviceNames.Count > 0;
        Decide(RunStateMachine.Start(_run, Now));

        // The first progress goes out at once: it writes the run's rows if the creator could not.
        Publish(final: false);
        if (_holding && !_run.Run.Status.IsTerminal())
        {
            StartServices();
        }

        while (!_run.Run.Status.IsTerminal())
        {
            var wakeup = await NextAsync();
            switch (wakeup)
            {
                case Wakeup.StepReported(var item, var report) when report is null || !report.IsFor(item):
                    // Another call's result under this call's number (StepReport.IsFor), or one that is no step
                    // report at all: this call's own result will be dropped as a repeat, so the step is
                    // dispatched again (it runs at least once more).
                    Logs.ResultOfAnotherCall(
                        _context.CreateReplaySafeLogger<PipelineRunOrchestrator>(), _run.Run.Id, item.StepUuid, item.Attempt,
                        report is null ? "no step report" : $"the report of step {report.StepUuid ?? "?"} attempt {report.Attempt}");
                    Dispatch(item);
                    break;
                case Wakeup.StepReported(var item, { } report):
                    Decide(RunStateMachine.Report(_run, item, report, Now));
                    break;
                case Wakeup.Fault(var reason):
                    throw new InvalidOperationException(reason);
                case Wakeup.Due(var item, var due):
                    if (Now < due)
                    {
                        Logs.TimerEarly(_context.CreateReplaySafeLogger<PipelineRunOrchestrator>(), _run.Run.Id, item.StepUuid, item.Attempt, due - Now);
                    }

                    DispatchAt(item, due);
                    break;
                case Wakeup.PublishDue:
                    _progressTimer?.Dispose();
                    _progressTimer = null;
                    Publish(final: false);
                    break;
                case Wakeup.Cancel(var reason):
                    Decide(RunStateMachine.Cancel(_run, Now, reason));
                    break;
                case Wakeup.ServicesStarted(var started):
                    ServicesStarted(started);
                    break;
            }
        }
    }

    private void StartServices()
    {
        _servicesStarting = _context.CallActivityAsync<RunServicesStart>(StartRunServicesActivity.Name, new RunServicesInput(_run.Run), ServiceActivityOptions);
        Watch(_servicesStarting, s => new Wakeup.ServicesStarted(s), ex => new Wakeup.ServicesStarted(
            new RunServicesStart([], $"Orchest could not start the run's services: {ex.FailureDetails.ErrorMessage}")));
    }

    /// <summary>Services ready: the held steps go out with their endpoints. A service that did not start fails the run before any step.</summary>
    private void ServicesStarted(RunServicesStart started)
    {
        if (started.Failure is { } failure)
        {
            Decide(RunStateMachine.Fault(_run, Now, failure));
            return;
        }

        _services = started.Services;
        _holding = false;
        foreach (var item in _held)
        {
            Dispatch(item);
        }

        _held.Clear();
    }

    /// <summary>Removes the run's services (after their start ended: a stop before would miss what it still starts).</summary>
    private async Task StopServicesAsync()
    {
        if (_servicesStarting is null)
        {
            return;
        }

        try
        {
            await _servicesStarting;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Reported when it failed (or its result was not readable); whatever it started is removed below all the same.
        }

        try
        {
            await _context.CallActivityAsync<int>(StopRunServicesActivity.Name, _run.Run.Id, ServiceActivityOptions);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The run ends all the same (the container janitor removes what is left), also when the result that
            // came was another call's (a killed host's episode) and could not be read as this one's.
            var reason = ex is TaskFailedException failed ? failed.FailureDetails.ErrorMessage : ex.Message;
            Logs.ServicesNotStopped(_context.CreateReplaySafeLogger<PipelineRunOrchestrator>(), _run.Run.Id, reason);
        }
    }

    /// <summary>
    /// Durable Task on Azure Storage sends an episode's messages before it checkpoints the episode: a final
    /// progress sent by the episode that decided the end could show an end that a host's death takes back
    /// (the next execution replays with events that came meanwhile, e.g. a cancel, and may end otherwise).
    /// Waiting once for a timer (or the services' removal, which is an activity) checkpoints the decision
    /// first, so the run shows the end it keeps.
    /// </summary>
    private async Task EndCheckpointedAsync()
    {
        if (_servicesStarting is null)
        {
            await _context.CreateTimer(_context.CurrentUtcDateTime, CancellationToken.None);
        }
    }

    private void Decide(TransitionResult result)
    {
        if (result.Transition is not { } transition)
        {
            Logs.DecisionRejected(_context.CreateReplaySafeLogger<PipelineRunOrchestrator>(), _run.Run.Id, result.Rejection ?? "");
            return;
        }

        var cancelAsked = transition.Run.CancelRequested && !transition.Before.Run.CancelRequested;
        _run = transition.After();
        _progress.Add(transition);
        foreach (var work in transition.ToEnqueue)
        {
            if (work.Delay <= TimeSpan.Zero)
            {
                Dispatch(work.Item);
            }
            else
            {
                DispatchAt(work.Item, Now + work.Delay);
            }
        }

        if (_run.Run.Status.IsTerminal())
        {
            // The final progress follows once the run's services are gone (at once without services): an
            // ended run never shows while its services still run. Hosts stop the steps by the cancel row.
            return;
        }

        if (cancelAsked || _progress.PendingSteps >= ProgressBatch)
        {
            Publish(final: false);
        }
        else if (!_progress.IsEmpty && _progressTimer is null && !_run.Run.Status.IsTerminal())
        {
            _progressTimer = new CancellationTokenSource();
            Watch(_context.CreateTimer(DurableDelay.FireAt(_context.CurrentUtcDateTime, _progressInterval), _progressTimer.Token), () => new Wakeup.PublishDue());
        }
    }

    /// <summary>
    /// Dispatches <paramref name="item"/> once <paramref name="due"/> (a retry's backoff) has come, else waits for it.
    /// A timer can fire early: a host killed before it checkpointed an episode may have sent that episode's timer
    /// message already, and the episode's replay elsewhere makes the same timer (same id) later, so the killed host's
    /// message fires it up to the takeover time early. The rest of the wait is then waited again.
    /// </summary>
    private void DispatchAt(StepWorkItem item, DateTimeOffset due)
    {
        if (Now >= due)
        {
            Dispatch(item);
            return;
        }

        Watch(_context.CreateTimer(DurableDelay.FireAt(_context.CurrentUtcDateTime, due - Now), CancellationToken.None), () => new Wakeup.Due(item, due));
    }

    private void Dispatch(StepWorkItem item)
    {
        if (_holding)
        {
            _held.Add(item);
            return;
        }

        var step = _run.GetStep(item.StepUuid);
        var input = new StepAttemptInput(_run.Run, step, StepAttemptRequest.ParentSetsIn(_run, step), _services);
        var report = _context.CallActivityAsync<StepReport>(RunStepActivity.Name, input, StepActivityOptions);
        Watch(report, r => new Wakeup.StepReported(item, r), ex => new Wakeup.StepReported(item, Unreachable(item, ex)), () => new Wakeup.StepReported(item, null));
    }

    /// <summary>The step activity itself kept failing (not the step): the attempt fails with why.</summary>
    private StepReport Unreachable(StepWorkItem item, TaskFailedException ex) =>
        new(item.Attempt, "unknown", Now, Now, StepOutcome.Failed(null, $"Orchest could not run the step: {ex.FailureDetails.ErrorMessage}"));

    private void Publish(bool final)
    {
        if (_progressTimer is not null)
        {
            _progressTimer.Cancel();
            _progressTimer.Dispose();
            _progressTimer = null;
        }

        if (_progress.IsEmpty && !final)
        {
            return;
        }

        var progress = _progress.Take(_run, final);
        _context.Entities.SignalEntityAsync(_projection, RunProjectionEntity.ApplyOperation, progress);
    }

    public void Dispose() => _progressTimer?.Dispose();

    private async Task<Wakeup> NextAsync()
    {
        while (_wakeups.Count == 0)
        {
            _signal = new TaskCompletionSource();
            await _signal.Task;
        }

        return _wakeups.Dequeue();
    }

    private void Watch(Task task, Func<Wakeup> wakeup) => _ = WatchAsync(task, wakeup);

    /// <summary>
    /// Wakes the run with <paramref name="wakeup"/>'s answer once <paramref name="task"/> ends; with <paramref name="failed"/>'s
    /// when the call failed, with <paramref name="unreadable"/>'s when the result that came cannot be read as this call's.
    /// Without those, the run faults.
    /// </summary>
    private void Watch<T>(Task<T> task, Func<T, Wakeup> wakeup, Func<TaskFailedException, Wakeup>? failed = null, Func<Wakeup>? unreadable = null) =>
        _ = WatchAsync(task, wakeup, failed, unreadable);

    // A watch never ends without a wakeup (the run would wait for it forever): what it does not expect faults the run.
    private async Task WatchAsync(Task task, Func<Wakeup> wakeup)
    {
        Wakeup next;
        try
        {
            await task;
            next = wakeup();
        }
        catch (TaskCanceledException)
        {
            return; // a progress timer made unnecessary by an earlier publish
        }
        catch (Exception ex)
        {
            next = new Wakeup.Fault(ex.Message);
        }

        Wake(next);
    }

    private async Task WatchAsync<T>(Task<T> task, Func<T, Wakeup> wakeup, Func<TaskFailedException, Wakeup>? failed, Func<Wakeup>? unreadable)
    {
        Wakeup next;
        try
        {
            next = wakeup(await task);
        }
        catch (TaskFailedException ex) when (failed is not null)
        {
            next = failed(ex);
        }
        catch (Exception ex) when (ex is not TaskFailedException && unreadable is not null)
        {
            next = unreadable();
        }
        catch (Exception ex)
        {
            next = new Wakeup.Fault(ex.Message);
        }

        Wake(next);
    }

    private void Wake(Wakeup wakeup)
    {
        _wakeups.Enqueue(wakeup);
        _signal.TrySetResult();
    }

    /// <summary>Why the orchestration woke up.</summary>
    private abstract record Wakeup
    {
        /// <summary>A step call's result: null when what came was no step report (another call's result).</summary>
        public sealed record StepReported(StepWorkItem Item, StepReport? Report) : Wakeup;

        /// <summary>A watched task ended in a way the run cannot go on from: the run ends FAILURE with why.</summary>
        public sealed record Fault(string Reason) : Wakeup;

        /// <summary>A step's wait is over, or its timer fired early (<see cref="DispatchAt"/>).</summary>
        public sealed record Due(StepWorkItem Item, DateTimeOffset At) : Wakeup;

        public sealed record PublishDue : Wakeup;

        public sealed record Cancel(string Reason) : Wakeup;

        public sealed record ServicesStarted(RunServicesStart Started) : Wakeup;
    }
}
