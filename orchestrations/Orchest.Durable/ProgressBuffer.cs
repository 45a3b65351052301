using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Durable;

/// <summary>
/// What a run's orchestration decided and has not yet published: transitions are folded in (a step
/// changed twice is sent once, events in order) and taken out as one <see cref="RunProgress"/>.
/// </summary>
/// <remarks>
/// Each progress carries the previous one's steps and events again, and the final one every step and
/// every commit of the run: Durable Task on Azure Storage sends an episode's messages before it
/// checkpoints, so under a split brain an execution that then loses can send a progress whose number the
/// winner uses too; the projection, applying by number, takes the first to arrive and skips the other as
/// a repeat. The next progress (or the final) repairs that: step rows are whole states, event rows are
/// keyed by their number, commits and published events by their ids, so applying them again changes nothing.
/// </remarks>
internal sealed class ProgressBuffer
{
    private readonly Dictionary<string, StepRecord> _steps = new(StringComparer.Ordinal);
    private readonly List<RunEvent> _events = [];
    private readonly List<StepCommit> _commits = [];
    private readonly List<StepCommit> _allCommits = [];
    private HashSet<string> _previousSteps = new(StringComparer.Ordinal);
    private List<RunEvent> _previousEvents = [];
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
                _allCommits.Add(new StepCommit(step.Uuid, set));
            }
        }

        _events.AddRange(transition.Events);
    }

    /// <summary>
    /// Everything since the previous progress, and the previous progress's steps and events again; the
    /// first and the final progress carry every step of <paramref name="run"/>, the final one every commit.
    /// </summary>
    public RunProgress Take(RunSnapshot run, bool final)
    {
        var steps = new List<ProgressStep>();
        for (var i = 0; i < run.Steps.Count; i++)
        {
            var step = run.Steps[i];
            if (_everything || final || _steps.ContainsKey(step.Uuid) || _previousSteps.Contains(step.Uuid))
            {
                steps.Add(new ProgressStep(i, step));
            }
        }

        if (_everything)
        {
            // The creation event is the run's event 0: written by the creator too, but not if it died first.
            _events.Insert(0, new RunEvent(RunEventTypes.RunCreated, run.Run.Id, null, run.Run.Created, ExecutionStatus.Pending));
        }

        var events = new List<RunEvent>(_previousEvents.Count + _events.Count);
        events.AddRange(_previousEvents);
        events.AddRange(_events);
        var commits = final ? _allCommits.ToList() : _commits.ToList();
        var progress = new RunProgress(run.Run.Id, ++_sequence, run.Run, steps, events, commits, final);
        _previousSteps = new HashSet<string>(_steps.Keys, StringComparer.Ordinal);
        _previousEvents = _events.ToList();
        _steps.Clear();
        _events.Clear();
        _commits.Clear();
        _everything = false;
        return progress;
    }
}
