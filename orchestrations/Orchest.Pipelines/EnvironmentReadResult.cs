namespace Orchest.Pipelines;

/// <summary>The outcome of <see cref="EnvironmentDefinition.Parse"/>.</summary>
public sealed class EnvironmentReadResult
{
    internal EnvironmentReadResult(EnvironmentDefinition? environment, IReadOnlyList<PipelineProblem> problems)
    {
        Environment = environment;
        Problems = problems;
    }

    /// <summary>Null only when properties.json is not a JSON object.</summary>
    public EnvironmentDefinition? Environment { get; }

    public IReadOnlyList<PipelineProblem> Problems { get; }

    public bool IsValid => Environment is not null && Problems.Count == 0;
}
