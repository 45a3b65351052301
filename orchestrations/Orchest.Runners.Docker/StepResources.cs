using System.Globalization;
using System.Text.Json;
using Orchest.Engine.Ports;

namespace Orchest.Runners.Docker;

/// <summary>
/// Memory and CPU limits of one step container: the runner's defaults, overridden by the step's
/// <c>"resources": {"memory": "2g", "cpus": 1.5}</c> in the effective pipeline file (an unknown field to
/// Orchest, kept as is by the pipeline model).
/// </summary>
internal sealed record StepResources(long? MemoryBytes, double? Cpus, long? PidsLimit)
{
    public static StepResources For(StepLaunch launch, DockerRunnerOptions options, out string? problem)
    {
        problem = null;
        long? memory = options.Memory is { } m && ResourceQuantity.TryParseMemory(m, out var bytes) ? bytes : null;
        var cpus = options.Cpus;
        if (ReadOverride(launch) is not { ValueKind: JsonValueKind.Object } resources)
        {
            return new StepResources(memory, cpus, options.PidsLimit);
        }

        if (resources.TryGetProperty("memory", out var memoryNode))
        {
            if (memoryNode.ValueKind == JsonValueKind.String && ResourceQuantity.TryParseMemory(memoryNode.GetString()!, out var stepBytes))
            {
                memory = stepBytes;
            }
            else if (memoryNode.ValueKind == JsonValueKind.Number && memoryNode.TryGetInt64(out var raw) && raw >= 6L << 20)
            {
                memory = raw;
            }
            else if (memoryNode.ValueKind != JsonValueKind.Null)
            {
                problem = $"resources.memory {memoryNode.GetRawText()} is not a size such as \"512m\" or \"2g\".";
            }
        }

        if (resources.TryGetProperty("cpus", out var cpusNode))
        {
            if (cpusNode.ValueKind == JsonValueKind.Number && cpusNode.GetDouble() is > 0 and <= 1024 and var stepCpus)
            {
                cpus = stepCpus;
            }
            else if (cpusNode.ValueKind == JsonValueKind.String
                     && double.TryParse(cpusNode.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                cpus = parsed;
            }
            else if (cpusNode.ValueKind != JsonValueKind.Null)
            {
                problem = $"resources.cpus {cpusNode.GetRawText()} is not a number of CPUs above 0.";
            }
        }

        return new StepResources(memory, cpus, options.PidsLimit);
    }

    public override string ToString() =>
        $"memory {(MemoryBytes is { } b ? $"{b / (1 << 20)} MiB" : "unlimited")}, cpus {(Cpus is { } c ? c.ToString(CultureInfo.InvariantCulture) : "unlimited")}";

    private static JsonElement? ReadOverride(StepLaunch launch)
    {
        try
        {
            using var stream = File.OpenRead(launch.PipelineFile);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.TryGetProperty("steps", out var steps) && steps.ValueKind == JsonValueKind.Object
                   && steps.TryGetProperty(launch.StepUuid, out var step) && step.ValueKind == JsonValueKind.Object
                   && step.TryGetProperty("resources", out var resources)
                ? resources.Clone()
                : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // The engine wrote this file; unreadable means no override, the step still runs.
            return null;
        }
    }
}
