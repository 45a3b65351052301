using System.Text;
using Orchest.Engine.Ports;
using Orchest.Engine.Projects;
using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Orchest.Pipelines.Services;

namespace Orchest.Runners.Docker.Services;

/// <summary>
/// A served run's pipeline services as containers (<see cref="ServiceContainers"/>) on this host's Docker
/// Engine: the run's working copy on this host is what <c>binds["/project-dir"]</c> mounts; each service's
/// whole output is kept in <see cref="IServiceLogs"/> when it stops. A service that cannot start leaves what
/// started for <see cref="StopAsync"/>, so every log is kept the same way.
/// </summary>
public sealed class DockerRunServices(ServiceContainers containers, IRunWorkspaces workspaces, IServiceLogs logs) : IRunServices
{
    /// <summary>Log lines of a failing service shown in the run's message.</summary>
    private const int TailInMessage = 20;

    public async Task<RunServicesStart> StartAsync(RunRecord run, RunDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(definition);
        var pipeline = PipelineFile.Parse(definition.PipelineJson, run.PipelinePath).Pipeline
            ?? throw new InvalidOperationException($"Run {run.Id}: its stored pipeline definition no longer parses.");
        var services = PipelineServices.Read(pipeline, null, []).Where(s => s.RunsNonInteractive).ToList();
        if (services.Count == 0)
        {
            return new RunServicesStart([]);
        }

        var workspace = await workspaces.AcquireAsync(run, definition, cancellationToken);
        var launch = new ServiceLaunch
        {
            RunId = run.Id,
            ProjectId = run.ProjectId,
            PipelineUuid = run.PipelineUuid,
            PipelinePath = "/project-dir/" + run.PipelinePath,
            WorkspaceRoot = workspace.Root,
            DataDirectory = workspace.DataDirectory,
            LogDirectory = Path.Combine(workspace.ScratchDirectory, "services"),
            Services = services,
            RunVariables = definition.EnvironmentVariables,
            Environments = new ProjectFolder(workspace.Root).Environments,
        };
        try
        {
            var started = await containers.StartAsync(launch, removeOnFailure: false, cancellationToken);
            var described = started.Describe();
            return new RunServicesStart(services.Select(s => new ServiceEndpoint(
                s.Name,
                (string)described[s.Name]!["internal_hostname"]!,
                described[s.Name]!["ports"]!.AsArray().Select(p => (int)p!).ToList())).ToList());
        }
        catch (ServiceStartException ex)
        {
            // Replaced by the container's whole output when it is removed (a service that never got a container keeps this).
            await logs.WriteAsync(run.Id, ex.Service, [ex.Message, .. ex.LogTail], cancellationToken);
            var message = new StringBuilder(ex.Message);
            foreach (var line in ex.LogTail.TakeLast(TailInMessage))
            {
                message.Append('\n').Append('[').Append(ex.Service).Append("] ").Append(line);
            }

            return new RunServicesStart([], message.ToString());
        }
    }

    public Task<int> StopAsync(string runId, CancellationToken cancellationToken = default) =>
        containers.StopRunAsync(runId, (service, lines) => logs.WriteAsync(runId, service, lines, CancellationToken.None), cancellationToken);
}
