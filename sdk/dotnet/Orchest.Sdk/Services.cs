using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchest.Sdk;

/// <summary>
/// The run's pipeline services, as Orchest's <c>orchest.get_service(name)</c> /
/// <c>get_services()</c> return them: the service from the pipeline file (minus <c>scope</c>) plus
/// <c>internal_hostname</c> and <c>ports</c> (where this step reaches it), <c>external_urls</c> and
/// <c>base_paths</c>. The runner that started them (the docker runner) passes them in
/// <c>ORCHEST_SERVICES</c>.
/// </summary>
public static class Services
{
    /// <summary>The variable the runner writes.</summary>
    public const string Variable = "ORCHEST_SERVICES";

    /// <summary>Every service of the run by name; empty when the run started none.</summary>
    /// <exception cref="StepContextException">The variable is not a JSON object.</exception>
    public static IReadOnlyDictionary<string, JsonObject> GetServices()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(text))
        {
            return new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new StepContextException($"{Variable} is not valid JSON ({ex.Message}); it is written by the runner, do not set it yourself.");
        }

        if (parsed is not JsonObject services || services.Any(s => s.Value is not JsonObject))
        {
            throw new StepContextException($"{Variable} must be a JSON object of service name -> service.");
        }

        return services.ToDictionary(s => s.Key, s => (JsonObject)s.Value!.DeepClone(), StringComparer.Ordinal);
    }

    /// <summary>The service called <paramref name="name"/>.</summary>
    /// <exception cref="ServiceNotFoundException">The run has no such service.</exception>
    public static JsonObject GetService(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var services = GetServices();
        if (services.TryGetValue(name, out var service))
        {
            return service;
        }

        throw new ServiceNotFoundException(
            name,
            services.Count == 0
                ? $"Could not find service \"{name}\": this run started no services (services run only with the docker runner, e.g. `orchest run --runner docker`, and only those whose scope includes \"noninteractive\")."
                : $"Could not find service \"{name}\"; the run's services are: {string.Join(", ", services.Keys.Order(StringComparer.Ordinal))}.");
    }
}
