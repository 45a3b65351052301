using System.Globalization;
using System.Text.Json;

namespace Orchest.Sdk;

/// <summary>
/// Resolves a context without a context file, as Orchest did (PROTOCOL.md §2, fallback): parameters
/// and incoming steps from the pipeline file, each step's latest output set from its <c>LATEST</c>
/// file, and a new <c>manual-&lt;utc timestamp&gt;</c> output set whose <c>LATEST</c> the SDK updates.
/// </summary>
internal static class OrchestFallback
{
    public const string StepUuidVariable = "ORCHEST_STEP_UUID";
    public const string PipelinePathVariable = "ORCHEST_PIPELINE_PATH";
    public const string ProjectDirVariable = "ORCHEST_PROJECT_DIR";
    public const string PipelineUuidVariable = "ORCHEST_PIPELINE_UUID";
    public const string RunUuidVariable = "ORCHEST_RUN_UUID";
    public const string AttemptVariable = "ORCHEST_STEP_ATTEMPT";
    public const string LatestFileName = "LATEST";

    public static StepContext Resolve(Func<string, string?> variable) => Resolve(variable, DateTimeOffset.UtcNow);

    internal static StepContext Resolve(Func<string, string?> variable, DateTimeOffset now)
    {
        var missing = new[] { StepUuidVariable, PipelinePathVariable, ProjectDirVariable }
            .Where(name => string.IsNullOrEmpty(variable(name)))
            .ToList();
        if (missing.Count > 0)
        {
            throw new StepContextException(
                $"No step context: {StepContext.ContextVariable} is not set, and neither is {string.Join(", ", missing)}. "
                + $"The engine sets {StepContext.ContextVariable} for every step; to run a step by hand, set "
                + $"{StepUuidVariable}, {PipelinePathVariable} and {ProjectDirVariable}.");
        }

        var stepUuid = variable(StepUuidVariable)!;
        var pipelinePath = variable(PipelinePathVariable)!;
        var projectDir = Path.GetFullPath(variable(ProjectDirVariable)!);

        JsonDocument pipeline;
        try
        {
            pipeline = JsonDocument.Parse(File.ReadAllBytes(pipelinePath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new StepContextException($"The pipeline file \"{pipelinePath}\" ({PipelinePathVariable}) cannot be read: {ex.Message}", pipelinePath, ex);
        }

        using (pipeline)
        {
            var root = pipeline.RootElement;
            var pipelineUuid = variable(PipelineUuidVariable) is { Length: > 0 } fromVariable
                ? fromVariable
                : root.ValueKind == JsonValueKind.Object ? StepContextFile.OptionalString(root, "uuid") : null;
            if (pipelineUuid is null)
            {
                throw new StepContextException($"The pipeline file \"{pipelinePath}\" has no \"uuid\" and {PipelineUuidVariable} is not set.", pipelinePath);
            }

            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("steps", out var steps)
                || steps.ValueKind != JsonValueKind.Object
                || !steps.TryGetProperty(stepUuid, out var step)
                || step.ValueKind != JsonValueKind.Object)
            {
                throw new StepContextException(
                    $"Step \"{stepUuid}\" ({StepUuidVariable}) is not in the pipeline file \"{pipelinePath}\".", pipelinePath);
            }

            var dataDir = Path.Combine(projectDir, ".orchest", "pipelines", pipelineUuid, "data");
            var incoming = new List<IncomingStep>();
            if (step.TryGetProperty("incoming_connections", out var connections) && connections.ValueKind == JsonValueKind.Array)
            {
                foreach (var connection in connections.EnumerateArray())
                {
                    var parentUuid = connection.GetString() ?? "";
                    var title = steps.TryGetProperty(parentUuid, out var parent) && parent.ValueKind == JsonValueKind.Object
                        ? StepContextFile.OptionalString(parent, "title") ?? parentUuid
                        : parentUuid;
                    incoming.Add(new IncomingStep(parentUuid, title, LatestOutputSet(Path.Combine(dataDir, parentUuid))));
                }
            }

            var stepDataDir = Path.Combine(dataDir, stepUuid);
            // The Python SDK's name for the same thing (strftime "%Y%m%dT%H%M%S%fZ").
            var outputSet = "manual-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssffffff'Z'", CultureInfo.InvariantCulture);

            return new StepContext(
                stepUuid,
                StepContextFile.OptionalString(step, "title") ?? stepUuid,
                pipelineUuid,
                variable(RunUuidVariable) is { Length: > 0 } run ? run : null,
                int.TryParse(variable(AttemptVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) && attempt > 0 ? attempt : 1,
                new DirectoryOutputSet(Path.Combine(stepDataDir, outputSet), Path.Combine(stepDataDir, LatestFileName)),
                incoming,
                StepContextFile.Parameters(step, "parameters"),
                StepContextFile.Parameters(root, "parameters"));
        }
    }

    /// <summary>The output set named by a step's <c>LATEST</c> file, or null when there is none.</summary>
    private static DirectoryOutputSet? LatestOutputSet(string stepDataDir)
    {
        var latestFile = Path.Combine(stepDataDir, LatestFileName);
        if (!File.Exists(latestFile))
        {
            return null;
        }

        var latest = File.ReadAllText(latestFile).Trim();
        return latest.Length == 0 ? null : new DirectoryOutputSet(Path.Combine(stepDataDir, latest));
    }
}
