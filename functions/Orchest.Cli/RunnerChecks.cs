using Orchest.Pipelines;

namespace Orchest.Cli;

/// <summary>
/// Checks that depend on the runner a pipeline will run with, which the pure pipeline model cannot
/// know; <c>run</c> and <c>validate</c> both apply them, so a pipeline is refused before it starts.
/// </summary>
internal static class RunnerChecks
{
    public const string Process = "process";
    public const string Docker = "docker";

    /// <summary>Whether each runner starts Orchest's pipeline services (the docker runner does, as containers).</summary>
    private static readonly Dictionary<string, bool> StartsServices = new(StringComparer.Ordinal)
    {
        [Process] = false,
        [Docker] = true,
    };

    public static IReadOnlyList<string> Names { get; } = [Process, Docker];

    /// <summary>Every problem of running <paramref name="pipeline"/> with <paramref name="runner"/>.</summary>
    public static IEnumerable<string> Problems(PipelineDefinition pipeline, string runner)
    {
        if (!StartsServices.GetValueOrDefault(runner) && ServiceSupport.Unavailable(pipeline, runner) is { } services)
        {
            yield return services.Message;
        }
    }
}
