using Orchest.Pipelines;

namespace Orchest.Engine.Ports;

/// <summary>Everything a runner needs to start one step attempt. Paths are absolute paths on this host.</summary>
public sealed record StepLaunch
{
    public required string RunId { get; init; }
    public required string ProjectId { get; init; }
    public required string PipelineUuid { get; init; }
    public required string StepUuid { get; init; }
    public required string StepTitle { get; init; }
    public required int Attempt { get; init; }
    public required string SessionType { get; init; }
    public required StepFileKind Kind { get; init; }

    /// <summary>Root of the project working copy (mounted at /project-dir in containers).</summary>
    public required string WorkspaceRoot { get; init; }
    public required string StepFile { get; init; }
    public required string WorkingDirectory { get; init; }

    /// <summary>The effective pipeline definition file (ORCHEST_PIPELINE_PATH).</summary>
    public required string PipelineFile { get; init; }

    /// <summary>Where the runner writes the step context (ORCHEST_STEP_CONTEXT).</summary>
    public required string ContextFile { get; init; }
    public required StepContextDocument Context { get; init; }

    /// <summary>The shared data folder (Orchest's /data).</summary>
    public required string DataDirectory { get; init; }
    public required string ExecutedNotebookPath { get; init; }

    /// <summary>User environment variables. Values are secrets: never log them.</summary>
    public IReadOnlyDictionary<string, string> UserEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>The step's environment (image recipe) when it names one.</summary>
    public EnvironmentDefinition? Environment { get; init; }

    public override string ToString() => $"StepLaunch {{ RunId = {RunId}, StepUuid = {StepUuid}, Attempt = {Attempt} }}";
}
