using System.Text.Json;

namespace Orchest.Sdk;

/// <summary>Reads the step context file the engine writes before a step starts (PROTOCOL.md §2).</summary>
internal static class StepContextFile
{
    public const int SupportedProtocol = 1;

    public static StepContext Read(string path)
    {
        JsonDocument document;
        try
        {
            // Read synchronously: a few kilobytes, once per process, and it keeps parameter access
            // (GetStepParam) synchronous like Orchest's.
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StepContextException($"The step context file \"{path}\" ({StepContext.ContextVariable}) cannot be read: {ex.Message}", path, ex);
        }
        catch (JsonException ex)
        {
            throw new StepContextException($"The step context file \"{path}\" is not valid JSON: {ex.Message}", path, ex);
        }

        using (document)
        {
            try
            {
                return Parse(document.RootElement);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or KeyNotFoundException)
            {
                throw new StepContextException($"The step context file \"{path}\" is not valid: {ex.Message}", path, ex);
            }
        }
    }

    private static StepContext Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("it is not a JSON object.");
        }

        var protocol = Required(root, "protocol").GetInt32();
        if (protocol > SupportedProtocol)
        {
            throw new FormatException(
                $"it uses step protocol {protocol}, newer than the {SupportedProtocol} this Orchest.Sdk supports; use a newer Orchest.Sdk.");
        }

        var stepUuid = RequiredString(root, "step_uuid");
        var stepTitle = OptionalString(root, "step_title") ?? stepUuid;
        var self = $"step \"{stepTitle}\" (\"{stepUuid}\")";
        var output = OutputSetLocation.FromContextJson(Required(root, "output"), self)
            ?? throw new FormatException("\"output\" is null; a step always has an output location.");

        var incoming = new List<IncomingStep>();
        if (root.TryGetProperty("inputs", out var inputs) && inputs.ValueKind == JsonValueKind.Array)
        {
            foreach (var input in inputs.EnumerateArray())
            {
                var uuid = RequiredString(input, "step_uuid");
                var title = OptionalString(input, "title") ?? uuid;
                var location = input.TryGetProperty("location", out var l)
                    ? OutputSetLocation.FromContextJson(l, $"incoming step \"{title}\" (\"{uuid}\")")
                    : null;
                incoming.Add(new IncomingStep(uuid, title, location));
            }
        }

        return new StepContext(
            stepUuid,
            stepTitle,
            OptionalString(root, "pipeline_uuid") ?? "",
            OptionalString(root, "run_uuid"),
            root.TryGetProperty("attempt", out var attempt) && attempt.ValueKind == JsonValueKind.Number ? attempt.GetInt32() : 1,
            output,
            incoming,
            Parameters(root, "step_parameters"),
            Parameters(root, "pipeline_parameters"));
    }

    /// <summary>A JSON object of parameters, cloned so it outlives the document; empty when absent or null.</summary>
    internal static IReadOnlyDictionary<string, JsonElement> Parameters(JsonElement parent, string property)
    {
        var parameters = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (parent.TryGetProperty(property, out var element) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var parameter in element.EnumerateObject())
            {
                parameters[parameter.Name] = parameter.Value.Clone();
            }
        }

        return parameters;
    }

    internal static string? OptionalString(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement Required(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out var value) ? value : throw new FormatException($"\"{property}\" is missing.");

    private static string RequiredString(JsonElement parent, string property) =>
        OptionalString(parent, property) is { Length: > 0 } value ? value : throw new FormatException($"\"{property}\" is missing or not a string.");
}
