using Orchest.Durable;
using Orchest.Durable.AzureStorage;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Orchest.Pipelines.Services;

namespace Orchest.Functions.Api;

/// <summary>
/// Starts a served run: its definition (environment values encrypted) first, then its orchestration,
/// then its projection rows for the caller to read at once. A crash after the definition leaves only
/// that blob; a crash after the orchestration started loses nothing (its first progress writes the rows).
/// </summary>
internal sealed class RunStarter(
    IRunDefinitions definitions, IDurableRuns orchestrations, IRunProjection projection, TaskHubOptions hub, TimeProvider clock, HostServiceSupport services)
{
    /// <summary>Why <paramref name="pipeline"/> cannot run here (<see cref="HostServiceSupport"/>); null when it can.</summary>
    public string? ServicesProblem(PipelineDefinition pipeline) => services.Problem(pipeline);

    public async Task<RunSnapshot> StartAsync(RunRequest request, PipelineDefinition pipeline, RunGraph graph, CancellationToken cancellationToken)
    {
        var planned = await LaunchAsync(request, pipeline, graph, runId: null, cancellationToken);
        return await projection.GetAsync(planned.Run.Id, CancellationToken.None) ?? planned;
    }

    /// <summary>
    /// As <see cref="StartAsync"/> without reading the run back (returns it as planned). With a
    /// <paramref name="runId"/> of a run that exists (a job tick handled twice), nothing changes: its
    /// orchestration is not started again and its rows are not rewritten (its definition is rewritten
    /// with what the same tick plans, the same content).
    /// </summary>
    public async Task<RunSnapshot> LaunchAsync(RunRequest request, PipelineDefinition pipeline, RunGraph graph, string? runId, CancellationToken cancellationToken)
    {
        var plan = RunPlanner.Plan(request, pipeline, graph, clock.GetUtcNow(), runId);
        await definitions.WriteAsync(plan.Definition, cancellationToken);
        var serviceNames = PipelineServices.Read(pipeline, null, []).Where(s => s.RunsNonInteractive).Select(s => s.Name).ToList();
        await orchestrations.StartAsync(
            new PipelineRunInput(plan.Snapshot.Run, plan.Snapshot.Steps, hub.ProgressInterval, serviceNames.Count > 0 ? serviceNames : null), cancellationToken);
        await projection.CreateAsync(plan.Snapshot, plan.Events, CancellationToken.None);
        return plan.Snapshot;
    }

    /// <summary>Asks a run to stop: hosts stop its steps at once, its orchestration aborts it. False when it already ended.</summary>
    public async Task<bool> CancelAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        if (await projection.IsStoppingAsync(runId, cancellationToken) is not false)
        {
            return false;
        }

        await projection.RequestCancelAsync(runId, cancellationToken);
        await orchestrations.CancelAsync(runId, reason, cancellationToken);
        return true;
    }
}
