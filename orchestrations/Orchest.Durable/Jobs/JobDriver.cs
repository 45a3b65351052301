using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Orchest.Engine.Jobs;

namespace Orchest.Durable.Jobs;

/// <summary>
/// One execution of a job's orchestration: handle a command or the due ticks (or, for a one-off job whose runs
/// started, look at them once), then continue as new with the state carried over. Waiting is a durable timer
/// raced against the command event. Deterministic: time is the orchestration's, decisions are
/// <see cref="TickPlanner"/>'s, effects are activities.
/// </summary>
internal sealed class JobDriver
{
    private const int RecentTriggerCount = 20;

    /// <summary>Commands one execution handles before it continues as new even with a timer pending.</summary>
    private const int MaxCommandsPerExecution = 50;

    /// <summary>Calls of one activity that got results not their own before the job's orchestration gives up (a killed episode made fewer calls).</summary>
    private const int MaxCallsOfOneActivity = 10;

    /// <summary>How often a one-off job looks at its runs while they go: soon first, then every 30 s.</summary>
    private static readonly TimeSpan[] WatchIntervals =
        [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)];

    // Storage may be briefly unavailable: activities are retried before a tick is given up.
    private static readonly TaskOptions ActivityOptions = TaskOptions.FromRetryPolicy(
        new Microsoft.DurableTask.RetryPolicy(maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2));

    private readonly TaskOrchestrationContext _context;
    private JobOrchestrationInput _state;
    private TickSchedule _schedule;
    /// <summary>Pending timers of this execution: when each fires, and how to cancel it when the job ends.</summary>
    private readonly List<(Task Fired, DateTime At, CancellationTokenSource Cancel)> _timers = [];
    private Task<JobCommand> _commands = null!;

    /// <summary>This execution handled a tick or a command: its history should be dropped (continue as new) soon.</summary>
    private bool _changed;

    private int _handled;

    public JobDriver(TaskOrchestrationContext context, JobOrchestrationInput input)
    {
        _context = context;
        _state = input;
        _schedule = TickSchedule.Of(input.Schedule, input.Confirmed);
    }

    private DateTimeOffset Now => new(DateTime.SpecifyKind(_context.CurrentUtcDateTime, DateTimeKind.Utc));

    private string JobId => _state.JobId;

    public async Task<string> DriveAsync()
    {
        try
        {
            return await DriveJobAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !_state.Status.IsFinal())
        {
            // A fault of the engine: the job ends FAILURE with why instead of showing its last status while nothing ticks.
            Logs.JobFaulted(_context.CreateReplaySafeLogger<JobOrchestrator>(), JobId, ex);
            CancelTimers();
            await RecordAsync(JobStatus.Failure, null, $"The job's orchestration failed: {ex.Message}");
            return _state.Status.ToWire();
        }
    }

    private async Task<string> DriveJobAsync()
    {
        _commands = WaitForCommand();
        _state = _state with { Horizon = _state.Horizon ?? (_schedule.IsCron ? _state.Confirmed : DateTimeOffset.MinValue) };
        while (true)
        {
            _timers.RemoveAll(t => t.Fired.IsCompleted);
            if (_state.Status.IsFinal())
            {
                CancelTimers();
                return _state.Status.ToWire();
            }

            // A command first: one received while a tick's activity ran is handled before the next execution
            // (forwarded to it instead, a job busy with every tick would pass it on forever).
            if (_commands.IsCompleted)
            {
                var command = _commands.Result;
                _commands = WaitForCommand();
                (_handled, _changed) = (_handled + 1, true);
                await HandleAsync(command);
                continue;
            }

            // A new execution once something happened, but never with a timer pending: its message would reach the
            // next execution, which DurableTask.AzureStorage then keeps returning to the queue as out of order.
            if (_changed && _timers.Count == 0)
            {
                return ContinueAsNew();
            }

            if (_handled >= MaxCommandsPerExecution)
            {
                // Bounded history under a storm of commands; the abandoned timer's message is dropped eventually.
                CancelTimers();
                return ContinueAsNew();
            }

            if (_state.Status == JobStatus.Paused)
            {
                await WakeAsync(null);
                continue;
            }

            if (_state.Watching)
            {
                await WatchAsync();
                continue;
            }

            var plan = TickPlanner.Plan(_schedule, _state.Schedule, _state.Horizon!.Value, Now, _state.MisfireThreshold);
            if (!plan.IsIdle)
            {
                await RunTicksAsync(plan);
                _changed = true;
                continue;
            }

            if (plan.Next != _state.RecordedNext)
            {
                await RecordAsync(_state.Status, plan.Next);
            }

            await WakeAsync(plan.Next is { } next ? TickPlanner.WakeAt(next) : null);
        }
    }

    /// <summary>
    /// Waits for a command or a timer. A timer for <paramref name="at"/> is set unless one already pending fires
    /// no later (timers are never cancelled while the job goes on: see <see cref="DriveAsync"/>).
    /// </summary>
    private async Task WakeAsync(DateTime? at)
    {
        if (at is { } when && !_timers.Any(t => t.At <= when))
        {
            var cancel = new CancellationTokenSource();
            _timers.Add((_context.CreateTimer(when, cancel.Token), when, cancel));
        }

        await Task.WhenAny(_timers.Select(t => t.Fired).Append(_commands));
    }

    /// <summary>
    /// The one waiter of command events at a time. Never cancelled: an event is handed to the newest waiter even
    /// if it was cancelled, and would be lost there.
    /// </summary>
    private Task<JobCommand> WaitForCommand() => _context.WaitForExternalEvent<JobCommand>(JobOrchestrator.CommandEvent);

    private async Task HandleAsync(JobCommand command)
    {
        switch (command.Kind)
        {
            case JobCommandKind.Pause when _state.Status == JobStatus.Started && _schedule.IsCron:
                await RecordAsync(JobStatus.Paused, null);
                break;
            case JobCommandKind.Resume when _state.Status == JobStatus.Paused:
                // Ticks that passed while paused are not missed: they were not wanted.
                _state = _state with { Horizon = Later(_state.Horizon!.Value, Now) };
                await RecordAsync(JobStatus.Started, _schedule.Next(_state.Horizon!.Value));
                break;
            case JobCommandKind.Trigger when !_state.RecentTriggers.Contains(command.Id, StringComparer.Ordinal):
                _state = _state with { RecentTriggers = [.. _state.RecentTriggers.TakeLast(RecentTriggerCount - 1), command.Id] };
                await StartTickAsync(JobRunIds.TriggerKey(command.Id), JobTickKind.Triggered, Now, 0, _state.Status, _state.RecordedNext);
                break;
            case JobCommandKind.Update when command.Revision > _state.DefinitionRevision && command.Schedule is { } schedule:
                Adopt(schedule, command.Revision);
                if (_state.Status is JobStatus.Started or JobStatus.Pending && !_state.Watching)
                {
                    await RecordAsync(_state.Status, _schedule.Next(Later(_state.Horizon!.Value, Now)));
                }

                break;
            case JobCommandKind.Cancel:
                var cancelled = await CallAsync<int>(CancelJobRunsActivity.Name, new CancelJobRunsInput(JobId, command.Reason ?? "job cancelled"), _ => true, n => $"{n}");
                await RecordAsync(JobStatus.Aborted, null, $"Cancelled ({command.Reason ?? "job cancelled"}); {cancelled} unfinished runs were asked to stop.");
                break;
            default:
                Logs.JobCommandIgnored(_context.CreateReplaySafeLogger<JobOrchestrator>(), JobId, command.Kind.ToString(), $"the job is {_state.Status.ToWire()}");
                break;
        }
    }

    private async Task RunTicksAsync(TickPlan plan)
    {
        if (plan.Run.Count == 0)
        {
            var handled = plan.Handled!.Value;
            var tick = new JobTick
            {
                Sequence = _state.Ticks + 1,
                Key = "skipped:" + JobRunIds.ScheduledKey(handled)[3..],
                Kind = JobTickKind.Skipped,
                ScheduledFor = handled,
                Started = Now,
                Skipped = plan.Skipped,
            };
            _state = _state with { Ticks = tick.Sequence, SkippedTicks = _state.SkippedTicks + plan.Skipped, Horizon = handled };
            Logs.JobTicksSkipped(_context.CreateReplaySafeLogger<JobOrchestrator>(), JobId, plan.Skipped, handled);
            await RecordAsync(_state.Status, plan.Next, tick: tick);
            return;
        }

        var skipped = plan.Skipped;
        foreach (var due in plan.Run)
        {
            var once = !_schedule.IsCron;
            var runIds = await StartTickAsync(
                JobRunIds.ScheduledKey(due), once ? JobTickKind.Once : JobTickKind.Scheduled, due, skipped,
                once ? JobStatus.Started : _state.Status, once ? null : plan.Next);
            _state = _state with { Horizon = due };
            skipped = 0;
            if (once)
            {
                if (runIds == 0)
                {
                    // Orchest: a one-off job whose runs could not be created fails.
                    await RecordAsync(JobStatus.Failure, null, "The job's runs could not be started (see its history).");
                    return;
                }

                _state = _state with { Watching = true, WatchRound = 0 };
            }
        }

        _state = _state with { Horizon = plan.Handled };
    }

    /// <summary>Starts one tick's runs; returns how many started.</summary>
    private async Task<int> StartTickAsync(string key, JobTickKind kind, DateTimeOffset scheduledFor, long skipped, JobStatus status, DateTimeOffset? next)
    {
        var sequence = _state.Ticks + 1;
        _state = _state with { Records = _state.Records + 1 };
        var state = new JobState
        {
            Status = status,
            NextScheduled = next,
            LastScheduled = scheduledFor,
            Ticks = sequence,
            Runs = _state.Runs,
            SkippedTicks = _state.SkippedTicks + skipped,
            Updated = Now,
            Record = _state.Records,
        };
        JobTickResult result;
        try
        {
            result = await CallAsync<JobTickResult>(
                StartJobTickActivity.Name, new JobTickInput(JobId, sequence, key, kind, scheduledFor, skipped, state, _state.Status),
                r => r.IsFor(key), r => $"the result of tick {r.Key}");
        }
        catch (TaskFailedException ex)
        {
            result = new JobTickResult([], [$"The tick's runs could not be started: {ex.FailureDetails.ErrorMessage}"], 0, null);
        }

        // The tick may have been recorded under a later sequence (and with fewer skipped) than asked.
        _state = _state with
        {
            Status = status,
            LastScheduled = scheduledFor,
            Ticks = result.Sequence ?? sequence,
            Runs = _state.Runs + result.RunIds.Count,
            SkippedTicks = state.SkippedTicks - skipped + (result.Skipped ?? skipped),
            RecordedNext = next,
        };
        if (result.RunIds.Count > 0)
        {
            Logs.JobTickStarted(_context.CreateReplaySafeLogger<JobOrchestrator>(), JobId, sequence, key, result.RunIds.Count, skipped);
        }
        else
        {
            Logs.JobTickFailed(_context.CreateReplaySafeLogger<JobOrchestrator>(), JobId, sequence, key, string.Join(" ", result.Problems));
        }

        // An update whose event was lost still arrives here: the tick read the stored definition.
        if (result.DefinitionRevision > _state.DefinitionRevision && result.Schedule is { } schedule)
        {
            Adopt(schedule, result.DefinitionRevision);
        }

        return result.RunIds.Count;
    }

    /// <summary>A one-off job's runs going: ends the job once they all ended, else waits a while (or for a command).</summary>
    private async Task WatchAsync()
    {
        var runs = await CallAsync<JobRunCounts>(CountJobRunsActivity.Name, JobId, r => r.IsOf(JobId), r => $"the run counts of job {r.JobId}");
        if (JobOutcome.RollUp(runs) is { } final)
        {
            await RecordAsync(final, null, final == JobStatus.Failure ? $"{runs.Failed} of {runs.Total} runs failed." : null);
            return;
        }

        var delay = WatchIntervals[Math.Min(_state.WatchRound, WatchIntervals.Length - 1)];
        await WakeAsync(DurableDelay.FireAt(_context.CurrentUtcDateTime, delay));
        if (!_commands.IsCompleted)
        {
            _state = _state with { WatchRound = _state.WatchRound + 1 };
            _changed = true;
        }
    }

    private async Task RecordAsync(JobStatus status, DateTimeOffset? next, string? message = null, JobTick? tick = null)
    {
        var previous = _state.Status;
        _state = _state with { Records = _state.Records + 1 };
        var state = new JobState
        {
            Status = status,
            NextScheduled = next,
            LastScheduled = _state.LastScheduled,
            Ticks = _state.Ticks,
            Runs = _state.Runs,
            SkippedTicks = _state.SkippedTicks,
            Message = message,
            Updated = Now,
            Record = _state.Records,
        };
        _state = _state with { Status = status, RecordedNext = next };
        if (previous != status)
        {
            Logs.JobStatusChanged(_context.CreateReplaySafeLogger<JobOrchestrator>(), JobId, status.ToWire());
        }

        try
        {
            await CallAsync<bool>(RecordJobActivity.Name, new JobProgress(JobId, state, previous, tick), _ => true, r => $"{r}");
        }
        catch (TaskFailedException ex)
        {
            // The orchestration keeps scheduling; what the API shows catches up at the next record.
            Logs.JobRecordFailed(_context.CreateReplaySafeLogger<JobOrchestrator>(), JobId, status.ToWire(), ex);
            _state = _state with { RecordedNext = DateTimeOffset.MinValue };
        }
    }

    /// <summary>
    /// Calls <paramref name="activity"/> until a result is this call's own (<paramref name="isOwn"/>). Durable Task
    /// matches a result to its call by number alone, so a killed host's episode that numbered its calls otherwise
    /// can deliver another call's result under this call's number (see the run's <c>StepReport.IsFor</c>); this
    /// call's own result is then dropped as a repeat, so the call is made again. Every job activity can run again:
    /// a tick is the same tick by its key, a record writes the same state, counting and cancelling are repeatable.
    /// A tick's result names its tick and counts name their job; a bool or a number cannot tell whose it is, but a
    /// result of another kind cannot be read as one (each result type requires its fields).
    /// </summary>
    private async Task<T> CallAsync<T>(string activity, object input, Func<T, bool> isOwn, Func<T, string> describe)
    {
        for (var call = 1; ; call++)
        {
            string other;
            try
            {
                var result = await _context.CallActivityAsync<T>(activity, input, ActivityOptions);
                if (result is not null && isOwn(result))
                {
                    return result;
                }

                other = result is null ? "no result" : describe(result);
            }
            catch (Exception ex) when (ex is not TaskFailedException)
            {
                other = $"a result it cannot read ({ex.Message})";
            }

            if (call == MaxCallsOfOneActivity)
            {
                throw new InvalidOperationException($"{MaxCallsOfOneActivity} calls of {activity} got results not their own, the last {other}.");
            }

            Logs.JobResultOfAnotherCall(_context.CreateReplaySafeLogger<JobOrchestrator>(), JobId, activity, other);
        }
    }

    private void Adopt(JobSchedule schedule, long revision)
    {
        _schedule = TickSchedule.Of(schedule, _state.Confirmed);
        // The new schedule applies from the next tick: its ticks already past are not due.
        var horizon = _schedule.IsCron ? Later(_state.Horizon!.Value, Now) : _state.Horizon!.Value;
        _state = _state with { Schedule = schedule, DefinitionRevision = revision, Horizon = horizon };
    }

    private string ContinueAsNew()
    {
        if (!_commands.IsCompleted)
        {
            // An event delivered to this execution's waiter after this point would be lost with it.
            _ = ForwardAsync(_commands);
        }
        else
        {
            // Received and not handled yet: the next execution handles it.
            _context.SendEvent(_context.InstanceId, JobOrchestrator.CommandEvent, _commands.Result);
        }

        _context.ContinueAsNew(_state, preserveUnprocessedEvents: true);
        return _state.Status.ToWire();
    }

    private async Task ForwardAsync(Task<JobCommand> pending) =>
        _context.SendEvent(_context.InstanceId, JobOrchestrator.CommandEvent, await pending);

    /// <summary>
    /// Cancels the pending timers (the job ended, or a forced new execution), synchronously: CancelAsync would run
    /// the timers' continuations on the thread pool, outside the orchestration's episode, and stall it there.
    /// </summary>
    private void CancelTimers()
    {
        foreach (var (_, _, cancel) in _timers)
        {
            cancel.Cancel();
            cancel.Dispose();
        }

        _timers.Clear();
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
