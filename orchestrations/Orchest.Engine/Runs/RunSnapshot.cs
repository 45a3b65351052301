namespace Orchest.Engine.Runs;

/// <summary>A consistent read of one run: its row and all its step rows.</summary>
public sealed class RunSnapshot
{
    private readonly Dictionary<string, StepRecord> _byUuid;

    public RunSnapshot(RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        Run = run;
        Steps = steps;
        _byUuid = steps.ToDictionary(s => s.Uuid, StringComparer.Ordinal);
    }

    public RunRecord Run { get; }

    /// <summary>Steps in the run graph's topological order.</summary>
    public IReadOnlyList<StepRecord> Steps { get; }

    public StepRecord? FindStep(string uuid) => _byUuid.GetValueOrDefault(uuid);

    public StepRecord GetStep(string uuid) =>
        _byUuid.TryGetValue(uuid, out var step)
            ? step
            : throw new KeyNotFoundException($"Run {Run.Id} has no step {uuid}.");
}
