namespace Orchest.Engine.Runs;

/// <summary>A consistent read of one run: its row and all its step rows.</summary>
public sealed class RunSnapshot
{
    private readonly IReadOnlyDictionary<string, int> _index;

    public RunSnapshot(RunRecord run, IReadOnlyList<StepRecord> steps)
        : this(run, steps, IndexOf(steps))
    {
    }

    /// <summary>A snapshot reusing a uuid -> position index (the step set of a run never changes).</summary>
    public RunSnapshot(RunRecord run, IReadOnlyList<StepRecord> steps, IReadOnlyDictionary<string, int> index)
    {
        Run = run;
        Steps = steps;
        _index = index;
    }

    public RunRecord Run { get; }

    /// <summary>Steps in the run graph's topological order.</summary>
    public IReadOnlyList<StepRecord> Steps { get; }

    /// <summary>Position of each step in <see cref="Steps"/>.</summary>
    public IReadOnlyDictionary<string, int> Index => _index;

    public StepRecord? FindStep(string uuid) => _index.TryGetValue(uuid, out var at) ? Steps[at] : null;

    public StepRecord GetStep(string uuid) =>
        FindStep(uuid) ?? throw new KeyNotFoundException($"Run {Run.Id} has no step {uuid}.");

    public static IReadOnlyDictionary<string, int> IndexOf(IReadOnlyList<StepRecord> steps)
    {
        var index = new Dictionary<string, int>(steps.Count, StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            index[steps[i].Uuid] = i;
        }

        return index;
    }
}
