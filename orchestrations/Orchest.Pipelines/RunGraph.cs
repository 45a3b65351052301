namespace Orchest.Pipelines;

/// <summary>The steps one run executes and the order constraints between them.</summary>
public sealed class RunGraph
{
    private readonly Dictionary<string, RunGraphStep> byUuid;

    internal RunGraph(RunType runType, IReadOnlyList<RunGraphStep> steps)
    {
        RunType = runType;
        Steps = steps;
        byUuid = steps.ToDictionary(s => s.Uuid, StringComparer.Ordinal);
    }

    public RunType RunType { get; }

    /// <summary>Topological order; among steps that could go next, file order decides.</summary>
    public IReadOnlyList<RunGraphStep> Steps { get; }

    /// <exception cref="KeyNotFoundException">The step is not part of this run.</exception>
    public RunGraphStep Get(string uuid) =>
        byUuid.TryGetValue(uuid, out var step)
            ? step
            : throw new KeyNotFoundException($"Step {uuid} is not part of this run.");

    public bool Contains(string uuid) => byUuid.ContainsKey(uuid);

    /// <summary>Every step of the run reachable through children (not the step itself): what a failure must abort under "continue".</summary>
    /// <exception cref="KeyNotFoundException">The step is not part of this run.</exception>
    public IReadOnlySet<string> DescendantsOf(string uuid)
    {
        var descendants = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(Get(uuid).Children);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (descendants.Add(next))
            {
                foreach (var child in byUuid[next].Children)
                {
                    pending.Push(child);
                }
            }
        }

        return descendants;
    }
}
