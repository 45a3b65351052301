using System.Text.Json.Nodes;

namespace Orchest.Pipelines;

/// <summary>
/// Orchest's pipeline services (<c>"services"</c>: databases, dashboards started beside the steps).
/// The process runner cannot start them, so with it a pipeline declaring them is refused before it
/// runs rather than failing mid-run. This is a rule the caller applies for the runner it will use (not part of
/// <see cref="PipelineValidator"/>): a runner that gains services simply stops applying it.
/// </summary>
public static class ServiceSupport
{
    /// <summary>The declared services' names, in file order (a service's <c>name</c>, else its key).</summary>
    public static IReadOnlyList<string> DeclaredServices(PipelineDefinition pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        if (pipeline.ToJson()["services"] is not JsonObject services)
        {
            return [];
        }

        return services
            .Select(e => e.Value is JsonObject service && service["name"] is JsonValue name && name.TryGetValue<string>(out var text) && text.Length > 0 ? text : e.Key)
            .ToList();
    }

    /// <summary>
    /// The <c>services_unavailable</c> problem when <paramref name="pipeline"/> declares services
    /// (naming them) and <paramref name="runner"/> cannot start them; null when it declares none.
    /// <paramref name="remedy"/> says how to get a runner that can (the CLI's flag, a served host's setting).
    /// </summary>
    public static PipelineProblem? Unavailable(PipelineDefinition pipeline, string runner, string remedy = "run it with --runner docker")
    {
        var names = DeclaredServices(pipeline);
        if (names.Count == 0)
        {
            return null;
        }

        var list = string.Join(", ", names.Select(n => $"\"{n}\""));
        var noun = names.Count == 1 ? "service" : "services";
        return new PipelineProblem(
            "services_unavailable",
            $"{pipeline.Path}: the pipeline declares {noun} {list}, but the {runner} runner cannot start services; {remedy} (services run as containers beside the steps) or remove \"services\" from the pipeline.")
        {
            PipelinePath = pipeline.Path,
            Field = "services",
        };
    }
}
