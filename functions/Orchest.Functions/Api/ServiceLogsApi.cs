using Orchest.Engine.Ports;
using Orchest.Pipelines;
using Orchest.Pipelines.Services;
using Orchest.Storage.Azure.Blobs;

namespace Orchest.Functions.Api;

/// <summary><c>/api/runs/{run}/services/{service}/logs</c>: the whole output of a run's pipeline service, kept when it stopped.</summary>
internal static class ServiceLogsApi
{
    public static RouteGroupBuilder MapServiceLogsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/runs/{run}/services/{service}/logs", LogsAsync).WithName("GetServiceLog").WithTags("runs");
        return api;
    }

    internal static async Task<IResult> LogsAsync(
        string run, string service, IRunProjection runs, IRunDefinitions definitions, BlobArtifactStore artifacts, CancellationToken cancellationToken)
    {
        if (await RunsApi.FindAsync(runs, run, cancellationToken) is not { } snapshot
            || await definitions.ReadAsync(snapshot.Run.Id, cancellationToken) is not { } definition)
        {
            return RunsApi.RunNotFound(run);
        }

        var pipeline = PipelineFile.Parse(definition.PipelineJson, snapshot.Run.PipelinePath).Pipeline;
        var names = pipeline is null ? [] : PipelineServices.Read(pipeline, null, []).Where(s => s.RunsNonInteractive).Select(s => s.Name).ToList();
        if (!names.Contains(service, StringComparer.Ordinal))
        {
            return ApiProblems.NotFound(names.Count == 0
                ? $"Run {snapshot.Run.Id} has no service \"{service}\": it started no services."
                : $"Run {snapshot.Run.Id} has no service \"{service}\" (its services: {string.Join(", ", names)}).");
        }

        return await artifacts.ReadServiceLogAsync(snapshot.Run.Id, service, cancellationToken) is { } stream
            ? TypedResults.Stream(stream, "text/plain; charset=utf-8")
            : ApiProblems.NotFound($"Service \"{service}\" of run {snapshot.Run.Id} has no log yet: it is kept when the service stops (when the run ends).");
    }
}
