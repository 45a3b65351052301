namespace Orchest.Pipelines;

/// <summary>The outcome of <see cref="PipelineFile.Parse"/>.</summary>
/// <remarks>
/// <see cref="Pipeline"/> is null only when the file cannot be understood at all (not JSON, not an object,
/// no usable "steps", an unknown version). Otherwise it is returned even with <see cref="Problems"/>, with
/// defaults in place of the bad values, so tools can still show the steps.
/// </remarks>
public sealed class PipelineReadResult
{
    internal PipelineReadResult(PipelineDefinition? pipeline, IReadOnlyList<PipelineProblem> problems)
    {
        Pipeline = pipeline;
        Problems = problems;
    }

    public PipelineDefinition? Pipeline { get; }

    /// <summary>Problems visible in the file alone (see <see cref="PipelineValidator"/> for the project-wide list).</summary>
    public IReadOnlyList<PipelineProblem> Problems { get; }

    public bool IsValid => Pipeline is not null && Problems.Count == 0;
}
