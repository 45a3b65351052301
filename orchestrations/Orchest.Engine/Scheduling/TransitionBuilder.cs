using Orchest.Engine.Runs;

namespace Orchest.Engine.Scheduling;

/// <summary>Accumulates the changes of one transition over a snapshot (pure, no I/O).</summary>
internal sealed class TransitionBuilder
{
    private readonly RunSnapshot _before;
    private readonly Dictionary<string, StepRecord> _changedSteps = new(StringComparer.Ordinal);
    private readonly List<string> _changed = [];
    private readonly List<RunEvent> _events = [];
    private readonly List<DelayedWork> _enqueue = [];
    private readonly List<string> _stop = [];

    public TransitionBuilder(RunSnapshot before, DateTimeOffset now)
    {
        _before = before;
        Now = now;
        Run = before.Run;
    }

    public DateTimeOffset Now { get; }

    public RunRecord Run { get; set; }

    /// <summary>Current (possibly updated) steps, in the snapshot's topological order.</summary>
    public IEnumerable<StepRecord> Steps => _before.Steps.Select(s => _changedSteps.GetValueOrDefault(s.Uuid) ?? s);

    /// <summary>Position of a step in the snapshot's topological order.</summary>
    public int IndexOf(string uuid) => _before.Index[uuid];

    /// <summary>
    /// <see cref="Enumerable.Any{T}(IEnumerable{T}, Func{T, bool})"/> over the current steps, last first:
    /// steps finish roughly in topological order, so "is any step unfinished" is answered near the end.
    /// </summary>
    public bool AnyStepFromLast(Func<StepRecord, bool> predicate)
    {
        for (var i = _before.Steps.Count - 1; i >= 0; i--)
        {
            var step = _before.Steps[i];
            if (predicate(_changedSteps.GetValueOrDefault(step.Uuid) ?? step))
            {
                return true;
            }
        }

        return false;
    }

    public StepRecord Step(string uuid) => _changedSteps.GetValueOrDefault(uuid) ?? _before.GetStep(uuid);

    public void SetStep(StepRecord step)
    {
        if (!_changedSteps.ContainsKey(step.Uuid))
        {
            _changed.Add(step.Uuid);
        }

        _changedSteps[step.Uuid] = step;
    }

    public void Event(string type, ExecutionStatus status, string? stepUuid = null, int? attempt = null, string? message = null, DateTimeOffset? at = null)
    {
        _events.Add(new RunEvent(type, Run.Id, stepUuid, at ?? Now, status, attempt, message, Run.EventCount));
        Run = Run with { EventCount = Run.EventCount + 1 };
    }

    public void Enqueue(StepWorkItem item, TimeSpan delay) => _enqueue.Add(new DelayedWork(item, delay));

    public void Stop(string stepUuid) => _stop.Add(stepUuid);

    public TransitionResult Build() => TransitionResult.Commit(new RunTransition
    {
        Before = _before,
        Run = Run,
        ChangedSteps = _changed.Select(u => _changedSteps[u]).ToList(),
        Events = _events,
        ToEnqueue = _enqueue,
        ToStop = _stop,
    });
}
