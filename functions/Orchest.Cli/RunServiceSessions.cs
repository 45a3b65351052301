using System.Collections.Concurrent;
using Orchest.Engine.Projects;
using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Orchest.Pipelines.Services;
using Orchest.Runners.Docker.Services;

namespace Orchest.Cli;

/// <summary>
/// The pipeline services of embedded docker runs: started before a run's first step (their
/// description handed to every step in <c>ORCHEST_SERVICES</c>), stopped and removed when the run
/// ends. Their logs are kept in <c>.orchest/runs/&lt;run&gt;/services/&lt;name&gt;.log</c>.
/// </summary>
internal sealed class RunServiceSessions(ServiceContainers containers, ProjectFolder project, PipelineDefinition pipeline, string dataDirectory) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, StartedServices> _started = new(StringComparer.Ordinal);

    /// <summary>The services non-interactive runs start (validated already), in order.</summary>
    public IReadOnlyList<PipelineService> Services { get; } =
        PipelineServices.Read(pipeline, null, []).Where(s => s.RunsNonInteractive).ToList();

    public static string LogDirectory(ProjectFolder project, string runId) => Path.Combine(project.OrchestDirectory, "runs", runId, "services");

    /// <summary>Starts the run's services; the plan to submit, or the reason the run fails (the service's log said too).</summary>
    public async Task<(RunPlan Plan, string? Failure)> StartAsync(RunPlan plan, Action<string> say, CancellationToken cancellationToken = default)
    {
        if (Services.Count == 0)
        {
            return (plan, null);
        }

        var runId = plan.Snapshot.Run.Id;
        say($"Starting {Services.Count} service{(Services.Count == 1 ? "" : "s")}: {string.Join(", ", Services.Select(s => s.Name))} ...");
        var launch = new ServiceLaunch
        {
            RunId = runId,
            ProjectId = plan.Snapshot.Run.ProjectId,
            PipelineUuid = pipeline.Uuid,
            PipelinePath = "/project-dir/" + pipeline.Path,
            WorkspaceRoot = project.Root,
            DataDirectory = dataDirectory,
            LogDirectory = LogDirectory(project, runId),
            Services = Services,
            RunVariables = plan.Definition.EnvironmentVariables,
            Environments = project.Environments,
        };
        try
        {
            var started = await containers.StartAsync(launch, cancellationToken: cancellationToken);
            _started[runId] = started;
            var variables = new Dictionary<string, string>(plan.Definition.EnvironmentVariables, StringComparer.Ordinal)
            {
                [StartedServices.Variable] = started.Describe().ToJsonString(),
            };
            return (plan with { Definition = plan.Definition with { EnvironmentVariables = variables } }, null);
        }
        catch (ServiceStartException ex)
        {
            foreach (var line in ex.LogTail)
            {
                say($"[{ex.Service}] {line}");
            }

            Directory.CreateDirectory(launch.LogDirectory);
            await File.WriteAllLinesAsync(Path.Combine(launch.LogDirectory, ex.Service + ".log"), ex.LogTail, CancellationToken.None);
            return (plan, ex.Message);
        }
    }

    /// <summary>Stops and removes the run's services (a no-op when it has none).</summary>
    public async Task StopAsync(string runId)
    {
        if (_started.TryRemove(runId, out var started))
        {
            await started.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var runId in _started.Keys.ToList())
        {
            await StopAsync(runId);
        }
    }
}
