using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchest.Pipelines.Services;

/// <summary>
/// Orchest's <c>get_service(name)</c> shape of a started service: the service from the pipeline file minus
/// <c>scope</c>, plus where steps reach it. Steps get a map of these in <c>ORCHEST_SERVICES</c> (JSON).
/// </summary>
public static class ServiceDescription
{
    /// <summary>The step variable that carries the run's services (name → description) as JSON; the SDKs read it.</summary>
    public const string Variable = "ORCHEST_SERVICES";

    /// <summary>
    /// <paramref name="service"/> as steps see it when it listens at <paramref name="host"/> on
    /// <paramref name="publishedPorts"/> (its declared ports' published ports, in declared order).
    /// </summary>
    public static JsonObject Of(PipelineService service, string host, IReadOnlyList<int> publishedPorts)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(publishedPorts);
        if (publishedPorts.Count != service.Ports.Count)
        {
            throw new ArgumentException($"Service \"{service.Name}\" declares {service.Ports.Count} ports, {publishedPorts.Count} were published.", nameof(publishedPorts));
        }

        return new JsonObject
        {
            ["name"] = service.Name,
            ["image"] = service.Image,
            ["command"] = service.Command,
            ["args"] = service.Args,
            ["binds"] = new JsonObject(service.Binds.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)b.Value))),
            ["env_variables"] = new JsonObject(service.EnvironmentVariables.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)b.Value))),
            ["env_variables_inherit"] = new JsonArray(service.InheritedVariables.Select(v => (JsonNode?)v).ToArray()),
            ["order"] = service.Order,
            ["exposed"] = service.Exposed,
            ["internal_hostname"] = host,
            ["ports"] = new JsonArray(publishedPorts.Select(p => (JsonNode?)p).ToArray()),
            ["container_ports"] = new JsonArray(service.Ports.Select(p => (JsonNode?)p).ToArray()),
            ["port_map"] = new JsonObject(service.Ports.Select((p, i) =>
                KeyValuePair.Create(p.ToString(CultureInfo.InvariantCulture), (JsonNode?)publishedPorts[i]))),
            ["external_urls"] = new JsonObject(),
            ["base_paths"] = new JsonObject(),
        };
    }
}
