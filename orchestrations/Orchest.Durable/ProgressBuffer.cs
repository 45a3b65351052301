using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Durable;

/// <summary>
/// What a run's orchestration decided and has not yet published: transitions are folded in (a step
/// changed twice is sent once, events in order) and taken out as one <see cref="RunProgress"/>.
/// </summary>
internal sealed class ProgressBuffer
{
    private readonly Dictionary<string, StepRecord> _steps = new(StringComparer.Ordinal);
    private readonly List<RunEvent> _events = [];
    private readonly List<StepCommit> _commits = [];
    private long _sequence;
    private bool _everything = true;

    public bool IsEmpty => _steps.Count == 0 && _events.Count == 0 && !_everything;

    /// <summary>Steps waiting to be published.</summary>
    public int PendingSteps => _steps.Count;

    public void Add(RunTransition transition)
    {
        foreach (var step in transition.ChangedSteps)
        {
            _steps[step.Uuid] = step;
            var before = transition.Before.FindStep(step.Uuid);
            if (step.Status == ExecutionStatus.Success && before?.Status != ExecutionStatus.Success && step.OutputSet is { } set)
            {
                _commits.Add(new StepCommit(step.Uuid, set));
            }
        }

        _events.AddRange(transition.Events);
    }

    /// <summary>
    /// Everything since the previous progress; the first and the final progress carry every step of
    /// <paramref name="run"/>. The final one so that the run's projection ends as the run did even when an
    /// earlier progress of the same number came from an execution that lost a split brain (Durable Task on
    /// Azure Storage sends an episode's messages before it checkpoints, so a discarded episode's progress
    /// can reach the projection first, and the winner's of that number is then taken for a repeat).
    /// </summary>
    public RunProgress Take(RunSnapshot run, bool final)
    {
        var steps = new List<ProgressStep>();
        for (var i = 0; i < run.Steps.Count; i++)
        {
            var step = run.Steps[i];
            if (_everything || final || _steps.ContainsKey(step.Uuid))
            {
                steps.Add(new ProgressStep(i, step));
            }
        }

        if (_everything)
        {
            // The creation event is the run's event 0: written by the creator too, but not if it died first.
            _events.Insert(0, new RunEvent(RunEventTypes.RunCreated, run.Run.Id, null, run.Run.Created, ExecutionStatus.Pending));
        }

        var progress = new RunProgress(run.Run.Id, ++_sequence, run.Run, steps, _events.ToList(), _commits.ToList(), final);
        _steps.Clear();
        _events.Clear();
        _commits.Clear();
        _everything = false;
        return progress;
    }
}
