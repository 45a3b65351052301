using System.Text.Json.Nodes;
using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines;

/// <summary>
/// A pipeline file after migration to the latest version. Immutable: JSON handed out is a deep copy,
/// and <see cref="ToJson"/> gives back the whole document, unknown fields included.
/// </summary>
public sealed class PipelineDefinition
{
    private readonly JsonObject document;
    private readonly JsonObject parameters;
    private readonly IReadOnlyList<PipelineProblem> sourceProblems;
    private readonly Dictionary<string, PipelineStep> stepsByUuid;

    // document: migrated, with an object "steps", owned by this instance from now on.
    // sourceProblems: seen before the document existed (JSON text, migration), kept for validation.
    internal PipelineDefinition(string path, JsonObject document, string originalVersion, IReadOnlyList<PipelineProblem> sourceProblems)
    {
        Path = path;
        OriginalVersion = originalVersion;
        this.document = document;
        this.sourceProblems = sourceProblems;

        var sink = new ProblemSink(path);
        sink.AddRange(sourceProblems);
        var read = PipelineReader.Read(path, document, sink);
        Uuid = read.Uuid;
        Name = read.Name;
        Settings = read.Settings;
        parameters = read.Parameters;
        Steps = read.Steps;
        stepsByUuid = read.Steps.ToDictionary(s => s.Uuid, StringComparer.Ordinal);
        ReadProblems = sink.Problems;
    }

    /// <summary>The pipeline file's project-relative path, forward slashes.</summary>
    public string Path { get; }

    public string Uuid { get; }

    public string Name { get; }

    /// <summary>After migration, always the latest version ("1.2.3").</summary>
    public string Version { get; } = Migrations.PipelineMigrator.LatestVersion;

    /// <summary>The version as read; "1.0.0" when missing or empty (Orchest's assumption).</summary>
    public string OriginalVersion { get; }

    public PipelineSettings Settings { get; }

    /// <summary>A deep copy of the pipeline parameters on every read; changing it changes nothing here.</summary>
    public JsonObject Parameters => (JsonObject)parameters.DeepClone();

    /// <summary>The steps in file order.</summary>
    public IReadOnlyList<PipelineStep> Steps { get; }

    /// <summary>Everything <see cref="PipelineFile.Parse"/> found wrong with the file itself.</summary>
    internal IReadOnlyList<PipelineProblem> ReadProblems { get; }

    public PipelineStep? GetStep(string uuid) => stepsByUuid.GetValueOrDefault(uuid);

    /// <summary>The steps a user's reference names: the step with that uuid, else every step with that title.</summary>
    public IReadOnlyList<PipelineStep> FindSteps(string reference) =>
        GetStep(reference) is { } byUuid ? [byUuid] : Steps.Where(s => s.Title == reference).ToList();

    /// <summary>The migrated document, unknown fields included, as a deep copy.</summary>
    public JsonObject ToJson() => (JsonObject)document.DeepClone();

    /// <summary>
    /// The pipeline as a job run sees it (Orchest's semantics): <paramref name="pipelineParameters"/>, when
    /// given, replaces the pipeline parameters; each entry of <paramref name="stepParameters"/> replaces that
    /// step's whole parameters object; everything else is unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">A step uuid in <paramref name="stepParameters"/> is not a step of this pipeline.</exception>
    public PipelineDefinition WithParameters(JsonObject? pipelineParameters, IReadOnlyDictionary<string, JsonObject>? stepParameters)
    {
        var copy = ToJson();
        if (pipelineParameters is not null)
        {
            copy["parameters"] = pipelineParameters.DeepClone();
        }

        foreach (var (uuid, values) in stepParameters ?? new Dictionary<string, JsonObject>())
        {
            if (copy["steps"]![uuid] is not JsonObject step)
            {
                throw new ArgumentException($"{Path}: the parameters name step \"{uuid}\", which is not a step of this pipeline.", nameof(stepParameters));
            }

            step["parameters"] = values.DeepClone();
        }

        return new PipelineDefinition(Path, copy, OriginalVersion, sourceProblems);
    }
}
