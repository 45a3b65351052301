using Orchest.Pipelines;
using Orchest.Pipelines.Services;

namespace Orchest.Runners.Docker.Services;

/// <summary>What starting a run's services needs. Paths are absolute paths on this host.</summary>
public sealed record ServiceLaunch
{
    public required string RunId { get; init; }
    public required string ProjectId { get; init; }
    public required string PipelineUuid { get; init; }

    /// <summary>The pipeline file as the services see it (ORCHEST_PIPELINE_PATH), relative to /project-dir.</summary>
    public required string PipelinePath { get; init; }

    /// <summary>The run's working copy, bound where a service's <c>binds["/project-dir"]</c> says.</summary>
    public required string WorkspaceRoot { get; init; }

    /// <summary>The data folder, bound where a service's <c>binds["/data"]</c> says.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where each service's log is written (<c>&lt;name&gt;.log</c>) when it stops.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>The services that start (non-interactive scope), in order.</summary>
    public required IReadOnlyList<PipelineService> Services { get; init; }

    /// <summary>The run's variables, for <c>env_variables_inherit</c>. Values are secrets: never log them.</summary>
    public IReadOnlyDictionary<string, string> RunVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>The project's environments, for <c>environment@&lt;uuid&gt;</c> images.</summary>
    public IReadOnlyDictionary<string, EnvironmentDefinition> Environments { get; init; } = new Dictionary<string, EnvironmentDefinition>();

    public override string ToString() => $"ServiceLaunch {{ RunId = {RunId}, Services = {Services.Count} }}";
}
