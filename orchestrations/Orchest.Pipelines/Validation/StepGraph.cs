namespace Orchest.Pipelines.Validation;

/// <summary>
/// The edges of a pipeline by step index (file order): each step's known parents in incoming_connections
/// order, without itself and without repeats, and the matching children in file order.
/// </summary>
internal sealed class StepGraph
{
    private readonly Dictionary<string, int> indexByUuid;

    public StepGraph(IReadOnlyList<PipelineStep> steps)
    {
        Steps = steps;
        indexByUuid = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            indexByUuid[steps[i].Uuid] = i;
        }

        var parents = new List<int>[steps.Count];
        var children = new List<int>[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            children[i] = [];
        }

        for (var i = 0; i < steps.Count; i++)
        {
            parents[i] = [.. steps[i].IncomingConnections
                .Select(uuid => indexByUuid.TryGetValue(uuid, out var parent) ? parent : -1)
                .Where(parent => parent >= 0 && parent != i)
                .Distinct()];
            foreach (var parent in parents[i])
            {
                children[parent].Add(i);
            }
        }

        Parents = parents;
        Children = children;
    }

    public IReadOnlyList<PipelineStep> Steps { get; }

    public IReadOnlyList<IReadOnlyList<int>> Parents { get; }

    public IReadOnlyList<IReadOnlyList<int>> Children { get; }

    public bool TryGetIndex(string uuid, out int index) => indexByUuid.TryGetValue(uuid, out index);
}
