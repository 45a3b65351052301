namespace Orchest.Pipelines;

/// <summary>A step as it takes part in one run: its edges are only those to other steps of the run.</summary>
public sealed class RunGraphStep
{
    internal RunGraphStep(PipelineStep step, IReadOnlyList<string> parents, IReadOnlyList<string> children)
    {
        Step = step;
        Parents = parents;
        Children = children;
    }

    public string Uuid => Step.Uuid;

    /// <summary>The step's definition in the pipeline.</summary>
    public PipelineStep Step { get; }

    /// <summary>Parents that are part of the run, in incoming_connections order (the order of the SDK's unnamed inputs).</summary>
    public IReadOnlyList<string> Parents { get; }

    /// <summary>Children that are part of the run, in file order.</summary>
    public IReadOnlyList<string> Children { get; }
}
