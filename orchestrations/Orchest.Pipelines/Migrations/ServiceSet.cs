using System.Text.Json.Nodes;
using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines.Migrations;

/// <summary>
/// The "services" object as the migrations see it: checked once, so that a malformed shape is reported
/// once rather than by every migration step.
/// </summary>
internal sealed class ServiceSet
{
    private ServiceSet(JsonObject? services, ProblemScope problems)
    {
        Object = services;
        Problems = problems;
    }

    /// <summary>null when the document has no usable services object.</summary>
    public JsonObject? Object { get; }

    public ProblemScope Problems { get; }

    public static ServiceSet Read(JsonObject document, ProblemScope problems)
    {
        if (!document.TryGetPropertyValue("services", out var node))
        {
            return new ServiceSet(null, problems);
        }

        if (node is not JsonObject services)
        {
            problems.Add("invalid_service", "services", $"services must be an object keyed by service name, got {ProblemText.Value(node)}.");
            return new ServiceSet(null, problems);
        }

        foreach (var (name, service) in services)
        {
            if (service is not JsonObject)
            {
                problems.Add("invalid_service", $"services.{name}", $"service \"{name}\" must be an object, got {ProblemText.Value(service)}.");
            }
        }

        return new ServiceSet(services, problems);
    }

    /// <summary>The services that are objects, in file order (a snapshot: migrations may rename keys).</summary>
    public IReadOnlyList<(string Key, JsonObject Service)> Entries =>
        Object is null
            ? []
            : [.. Object.Where(e => e.Value is JsonObject).Select(e => (e.Key, (JsonObject)e.Value!))];

    public void Report(string key, string field, string text) =>
        Problems.Add("invalid_service", $"services.{key}.{field}", $"service \"{key}\": {text}");
}
