using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Storage.Azure.Tests.Support;

/// <summary>Drives a run through the pure state machine and turns each decision into the progress its orchestration would publish.</summary>
internal sealed class Progress(RunSnapshot planned)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private long _sequence;

    public RunSnapshot Run { get; private set; } = planned;

    public string RunId => Run.Run.Id;

    /// <summary>Applies a decision; returns the progress carrying it (the first one carries every step).</summary>
    public RunProgress Decide(Func<RunSnapshot, DateTimeOffset, TransitionResult> decide, bool final = false)
    {
        var result = decide(Run, T0.AddSeconds(_sequence));
        Assert.False(result.IsRejected, result.Rejection);
        var transition = result.Transition!;
        Run = transition.After();
        _sequence++;
        var changed = transition.ChangedSteps.Select(s => s.Uuid).ToHashSet(StringComparer.Ordinal);
        var steps = Run.Steps.Select((s, i) => new ProgressStep(i, s)).Where(p => _sequence == 1 || changed.Contains(p.Step.Uuid)).ToList();
        var commits = transition.ChangedSteps.Where(s => s.Status == ExecutionStatus.Success && s.OutputSet is not null)
            .Select(s => new StepCommit(s.Uuid, s.OutputSet!)).ToList();
        IEnumerable<RunEvent> events = transition.Events;
        if (_sequence == 1)
        {
            events = events.Prepend(new RunEvent(RunEventTypes.RunCreated, RunId, null, Run.Run.Created, ExecutionStatus.Pending));
        }

        return new RunProgress(RunId, _sequence, Run.Run, steps, events.ToList(), commits, final || Run.Run.Status.IsTerminal());
    }

    public RunProgress Start() => Decide(RunStateMachine.Start);

    /// <summary>A host's report that the dispatched attempt of <paramref name="stepUuid"/> succeeded.</summary>
    public RunProgress Succeed(string stepUuid, string host = "h1") => Decide((s, now) =>
    {
        var step = s.GetStep(stepUuid);
        var report = new StepReport(step.Attempt, host, now, now, StepOutcome.Succeeded($"{RunId}-{step.Attempt}"));
        return RunStateMachine.Report(s, new StepWorkItem(RunId, stepUuid, step.Attempt), report, now);
    });

    public RunProgress Cancel() => Decide((s, now) => RunStateMachine.Cancel(s, now));
}
