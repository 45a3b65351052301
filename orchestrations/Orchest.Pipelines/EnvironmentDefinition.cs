using System.Text.Json.Nodes;
using Orchest.Pipelines.Json;
using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines;

/// <summary>
/// An environment in Orchest's on-disk format: .orchest/environments/&lt;uuid&gt;/properties.json
/// ({uuid, name, language, base_image, gpu_support}) plus setup_script.sh.
/// </summary>
public sealed class EnvironmentDefinition
{
    private EnvironmentDefinition(string uuid, string name, string language, string baseImage, bool gpuSupport, string setupScript)
    {
        Uuid = uuid;
        Name = name;
        Language = language;
        BaseImage = baseImage;
        GpuSupport = gpuSupport;
        SetupScript = setupScript;
    }

    public string Uuid { get; }

    public string Name { get; }

    /// <summary>"python" (default), "r", "julia" or "javascript".</summary>
    public string Language { get; }

    /// <summary>E.g. "orchest/base-kernel-py".</summary>
    public string BaseImage { get; }

    public bool GpuSupport { get; }

    /// <summary>setup_script.sh with "\n" line endings (as Orchest stored it); "" when there is none.</summary>
    public string SetupScript { get; }

    /// <summary>
    /// Reads an environment. Problems name the file (".orchest/environments/&lt;uuid&gt;/properties.json");
    /// their PipelinePath is null. A missing "uuid" means the folder's uuid.
    /// </summary>
    public static EnvironmentReadResult Parse(string folderUuid, string propertiesJson, string? setupScript)
    {
        ArgumentNullException.ThrowIfNull(folderUuid);
        ArgumentNullException.ThrowIfNull(propertiesJson);

        var sink = new ProblemSink($".orchest/environments/{folderUuid}/properties.json", isPipeline: false);
        var root = JsonSourceReader.Read(propertiesJson, sink, stepsAreUuids: false);
        if (root is null && sink.Problems.Count > 0)
        {
            return new EnvironmentReadResult(null, sink.Problems);
        }

        if (root is not JsonObject properties)
        {
            sink.File.Add("invalid_root", null, $"properties.json must contain a JSON object, got {ProblemText.Value(root)}.");
            return new EnvironmentReadResult(null, sink.Problems);
        }

        var problems = sink.File;
        var uuid = String(properties, "uuid", folderUuid, problems);
        if (uuid != folderUuid)
        {
            problems.Add("environment_uuid_mismatch", "uuid", $"uuid \"{uuid}\" does not match its folder name \"{folderUuid}\".");
        }

        var baseImage = String(properties, "base_image", "", problems);
        if (baseImage.Length == 0)
        {
            problems.Add("missing_field", "base_image", "base_image is missing; set it to an image such as \"orchest/base-kernel-py\".");
        }

        var gpuSupport = false;
        if (properties.TryGetPropertyValue("gpu_support", out var gpuNode) && !JsonText.TryGetBool(gpuNode, out gpuSupport))
        {
            problems.Add("invalid_field_type", "gpu_support", $"gpu_support must be true or false, got {ProblemText.Value(gpuNode)}.");
        }

        var environment = new EnvironmentDefinition(
            uuid,
            String(properties, "name", "", problems),
            String(properties, "language", "python", problems),
            baseImage,
            gpuSupport,
            (setupScript ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'));
        return new EnvironmentReadResult(environment, sink.Problems);
    }

    private static string String(JsonObject properties, string field, string fallback, ProblemScope problems)
    {
        if (!properties.TryGetPropertyValue(field, out var node))
        {
            return fallback;
        }

        if (JsonText.TryGetString(node, out var value))
        {
            return value;
        }

        problems.Add("invalid_field_type", field, $"{field} must be a string, got {ProblemText.Value(node)}.");
        return fallback;
    }
}
