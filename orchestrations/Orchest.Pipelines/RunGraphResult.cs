namespace Orchest.Pipelines;

/// <summary>The outcome of <see cref="RunGraphBuilder.Build"/>: a graph, or the problems with the request.</summary>
public sealed class RunGraphResult
{
    internal RunGraphResult(RunGraph? graph, IReadOnlyList<PipelineProblem> problems)
    {
        Graph = graph;
        Problems = problems;
    }

    /// <summary>Null exactly when <see cref="Problems"/> is not empty.</summary>
    public RunGraph? Graph { get; }

    public IReadOnlyList<PipelineProblem> Problems { get; }
}
