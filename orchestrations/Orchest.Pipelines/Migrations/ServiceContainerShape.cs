using System.Text.Json.Nodes;
using Orchest.Pipelines.Json;
using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines.Migrations;

/// <summary>
/// 1.1.0 to 1.2.0, Orchest's move from Docker to Kubernetes: Docker's entrypoint/command became
/// Kubernetes' command/args, every service got ports (guessed from the image when absent) and
/// explicit exposed/requires_authentication values.
/// </summary>
internal static class ServiceContainerShape
{
    // Checked in this order against the lower-cased image name; the first match wins.
    private static readonly (string ImagePart, int Port)[] WellKnownPorts =
    [
        ("redis", 6379),
        ("postgres", 5432),
        ("streamlit", 8501),
        ("mysql", 3306),
        ("rabbitmq", 5672),
        ("tensorflow", 6006),
        ("voila", 8866),
        ("mlflow", 5000),
        ("shiny", 8000),
    ];

    private const int FallbackPort = 8080;

    public static void Migrate(ServiceSet services)
    {
        foreach (var (key, service) in services.Entries)
        {
            if (service.ContainsKey("entrypoint"))
            {
                if (service.ContainsKey("command"))
                {
                    service["args"] = Detach(service, "command");
                }

                service["command"] = Detach(service, "entrypoint");
            }

            if (JsonText.IsFalsy(service["ports"]))
            {
                if (!JsonText.TryGetString(service["image"], out var image))
                {
                    services.Report(key, "image", $"image must be a string to infer the service's ports, got {ProblemText.Value(service["image"])}.");
                }
                else
                {
                    service["ports"] = new JsonArray(JsonValue.Create(PortFor(image)));
                }
            }

            if (!service.ContainsKey("exposed"))
            {
                service["exposed"] = false;
            }

            if (!service.ContainsKey("requires_authentication"))
            {
                service["requires_authentication"] = true;
            }
        }
    }

    public static int PortFor(string image)
    {
        var lowered = image.ToLowerInvariant();
        foreach (var (part, port) in WellKnownPorts)
        {
            if (lowered.Contains(part, StringComparison.Ordinal))
            {
                return port;
            }
        }

        return FallbackPort;
    }

    private static JsonNode? Detach(JsonObject service, string name)
    {
        var node = service[name];
        service.Remove(name);
        return node;
    }
}
