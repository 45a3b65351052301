using System.Text.Json.Nodes;
using Orchest.Pipelines.Json;
using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines.Migrations;

/// <summary>
/// Brings a pipeline document forward to <see cref="LatestVersion"/> in place, one version at a time,
/// with the same changes as Orchest's compat.py (migrate_pipeline). Where Orchest would have raised on
/// malformed services we report invalid_service and leave that service as it was.
/// </summary>
internal static class PipelineMigrator
{
    public const string FirstVersion = "1.0.0";
    public const string LatestVersion = "1.2.3";

    private static readonly Dictionary<string, (Action<JsonObject, ServiceSet> Migrate, string To)> Forward = new(StringComparer.Ordinal)
    {
        ["1.0.0"] = (Migrate100, "1.1.0"),
        ["1.1.0"] = ((_, services) => ServiceContainerShape.Migrate(services), "1.2.0"),
        ["1.2.0"] = ((_, services) => ServiceOrder.Migrate(services), "1.2.1"),
        ["1.2.1"] = ((_, services) => ServiceNames.Migrate(services), "1.2.2"),
        ["1.2.2"] = ((document, _) => Migrate122(document), "1.2.3"),
    };

    /// <summary>
    /// False (after reporting unsupported_version) when the version is not one we can read.
    /// originalVersion is the version as read; "1.0.0" when missing or empty, as Orchest assumed.
    /// </summary>
    public static bool TryMigrate(JsonObject document, ProblemSink problems, out string originalVersion)
    {
        var node = document["version"];
        if (JsonText.IsFalsy(node))
        {
            document["version"] = FirstVersion;
            originalVersion = FirstVersion;
        }
        else if (JsonText.TryGetString(node, out var version) && (Forward.ContainsKey(version) || version == LatestVersion))
        {
            originalVersion = version;
        }
        else
        {
            originalVersion = JsonText.TryGetString(node, out var text) ? text : ProblemText.Value(node);
            problems.File.Add(
                "unsupported_version",
                "version",
                $"version {ProblemText.Value(node)} is not supported; this runner reads pipeline files of versions {FirstVersion} to {LatestVersion}.");
            return false;
        }

        var current = originalVersion;
        if (Forward.ContainsKey(current))
        {
            var services = ServiceSet.Read(document, problems.File);
            while (Forward.TryGetValue(current, out var step))
            {
                step.Migrate(document, services);
                current = step.To;
                document["version"] = current;
            }
        }

        return true;
    }

    /// <summary>1.0.0 to 1.1.0: parameters become required, env var names valid, kernel "ir" is "r".</summary>
    private static void Migrate100(JsonObject document, ServiceSet services)
    {
        if (!document.ContainsKey("parameters"))
        {
            document["parameters"] = new JsonObject();
        }

        ServiceEnvironmentVariables.Migrate(services);

        foreach (var (_, step) in document["steps"]!.AsObject())
        {
            if (step is JsonObject { } stepObject
                && stepObject["kernel"] is JsonObject kernel
                && JsonText.TryGetString(kernel["name"], out var name)
                && name == "ir")
            {
                kernel["name"] = "r";
            }
        }
    }

    /// <summary>1.2.2 to 1.2.3: parallelism becomes explicit and unbounded, whatever it was.</summary>
    private static void Migrate122(JsonObject document)
    {
        switch (document["settings"])
        {
            case JsonObject settings:
                settings["max_steps_parallelism"] = 0;
                break;
            case null when !document.ContainsKey("settings"):
                // Orchest would have raised here; a missing settings object is harmless for us.
                document["settings"] = new JsonObject { ["max_steps_parallelism"] = 0 };
                break;
            default:
                // Reported by the reader as invalid_field_type.
                break;
        }
    }
}
