using System.Security.Cryptography;
using System.Text.Json;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Durable;

/// <summary>
/// What a run's orchestration decided and has not yet published: transitions are folded in (a step
/// changed twice is sent once, events in order) and taken out as one <see cref="RunProgress"/>.
/// </summary>
/// <remarks>
/// Each progress carries the one before it again (<see cref="RunProgress.Previous"/>) and a digest of its
/// own content, and the final one every step and every commit of the run (<see cref="RunProgress.AllCommits"/>): Durable Task on Azure Storage
/// sends an episode's messages before it checkpoints, so under a split brain an execution that then loses
/// can send a progress whose number the winner uses too, and the projection, applying by number, takes
/// the first to arrive. When the next progress's copy of that number has another digest than the one the
/// projection applied, the projection applies the copy first (<see cref="RunProjectionEntity"/>).
/// </remarks>
internal sealed class ProgressBuffer
{
    private readonly Dictionary<string, StepRecord> _steps = new(StringComparer.Ordinal);
    private readonly List<RunEvent> _events = [];
    private readonly List<StepCommit> _commits = [];
    private readonly List<StepCommit> _allCommits = [];
    private RunProgress? _previous;
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
    /// Everything since the previous progress, with the previous progress again; the first and the final
    /// progress carry every step of <paramref name="run"/>, the final one every commit of the run as well.
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

        var own = new RunProgress(run.Run.Id, ++_sequence, run.Run, steps, _events.ToList(), _commits.ToList(), final)
        {
            AllCommits = final ? _allCommits.ToList() : null,
        };
        own = own with { Digest = Digest(own) };
        var progress = own with { Previous = _previous };
        _previous = own;
        _steps.Clear();
        _events.Clear();
        _commits.Clear();
        _everything = false;
        return progress;
    }

    /// <summary>SHA-256 of the progress as sent: the same decisions give the same digest on every host.</summary>
    private static string Digest(RunProgress progress) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(progress, DurableJson.Options)));
}
