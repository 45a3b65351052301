using System.Text.Json.Nodes;

namespace Orchest.Pipelines;

/// <summary>One step of a pipeline (steps.&lt;uuid&gt; in the file), with defaults in place of absent or invalid values.</summary>
public sealed class PipelineStep
{
    private readonly JsonObject parameters;

    internal PipelineStep(
        int index,
        string uuid,
        string? declaredUuid,
        string title,
        string filePath,
        string? projectPath,
        IReadOnlyList<string> incomingConnections,
        string environment,
        JsonObject parameters,
        string kernelLanguage,
        RetryPolicy? retry)
    {
        Index = index;
        Uuid = uuid;
        DeclaredUuid = declaredUuid;
        Title = title;
        FilePath = filePath;
        ProjectPath = projectPath;
        IncomingConnections = incomingConnections;
        Environment = environment;
        this.parameters = parameters;
        KernelLanguage = kernelLanguage;
        Kind = Reading.StepFileKinds.FromFilePath(filePath);
        Retry = retry;
    }

    /// <summary>The step's key in "steps" (what incoming_connections refer to).</summary>
    public string Uuid { get; }

    public string Title { get; }

    /// <summary>As written: relative to the pipeline file's folder (Orchest's convention). "" when absent.</summary>
    public string FilePath { get; }

    /// <summary>The step file's project-relative path (forward slashes); null when file_path is empty, absolute or climbs out of the project.</summary>
    public string? ProjectPath { get; }

    /// <summary>Parent step uuids as written (strings only), in order: the order of the SDK's unnamed inputs.</summary>
    public IReadOnlyList<string> IncomingConnections { get; }

    /// <summary>The environment uuid; "" when absent (the process runner needs none).</summary>
    public string Environment { get; }

    /// <summary>A deep copy of the step's parameters on every read; changing it changes nothing here.</summary>
    public JsonObject Parameters => (JsonObject)parameters.DeepClone();

    /// <summary>kernel.name: "python" (default), "r", "julia", "javascript"... ("ir" was migrated to "r").</summary>
    public string KernelLanguage { get; }

    public StepFileKind Kind { get; }

    /// <summary>The step's own retry policy (ours: "retry" on the step; absent fields come from settings.retry), null when it has none.</summary>
    public RetryPolicy? Retry { get; }

    /// <summary>Position in the file; ties in topological order are broken by it.</summary>
    internal int Index { get; }

    /// <summary>The step's "uuid" field when it is a string, which should equal <see cref="Uuid"/>.</summary>
    internal string? DeclaredUuid { get; }
}
