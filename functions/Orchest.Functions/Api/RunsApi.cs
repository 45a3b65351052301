using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Projects;

namespace Orchest.Functions.Api;

/// <summary><c>/api/projects/{project}/runs</c> and <c>/api/runs/{run}</c>: start, inspect, list and cancel runs.</summary>
internal static partial class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/projects/{project}/runs", RunCreation.CreateAsync).WithName("CreateRun").WithTags("runs");
        api.MapGet("/projects/{project}/runs", ListAsync).WithName("ListRuns").WithTags("runs");
        api.MapGet("/runs/{run}", GetAsync).WithName("GetRun").WithTags("runs");
        api.MapDelete("/runs/{run}", CancelAsync).WithName("CancelRun").WithTags("runs");
        return api;
    }

    private static async Task<IResult> GetAsync(string run, IRunStore store, CancellationToken cancellationToken) =>
        await FindAsync(store, run, cancellationToken) is { } snapshot
            ? TypedResults.Ok(RunResponse.From(snapshot))
            : RunNotFound(run);

    private static async Task<IResult> ListAsync(
        string project, string? status, string? pipeline,
        [FromQuery(Name = "page_size")] int? pageSize, [FromQuery(Name = "continuation_token")] string? continuationToken,
        TableProjectRegistry registry, IRunCatalog catalog, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        ExecutionStatus? wanted = null;
        if (status is not null)
        {
            if (ExecutionStatusText.TryParse(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors.Add($"\"status\" \"{status}\" is not one of PENDING, STARTED, SUCCESS, FAILURE, ABORTED.");
            }
        }

        if (pageSize is < 1 or > 200)
        {
            errors.Add("\"page_size\" must be between 1 and 200.");
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid("The query is not valid", errors);
        }

        if (await registry.GetAsync(project, cancellationToken) is null)
        {
            return ProjectsApi.ProjectNotFound(project);
        }

        var page = await catalog.ListAsync(new RunQuery(project, wanted, pipeline, pageSize ?? 50, continuationToken), cancellationToken);
        return TypedResults.Ok(new RunListResponse(page.Runs.Select(r => RunResponse.From(r, null)).ToList(), page.ContinuationToken));
    }

    private static async Task<IResult> CancelAsync(string run, IRunStore store, RunEngine engine, CancellationToken cancellationToken)
    {
        if (await FindAsync(store, run, cancellationToken) is not { } snapshot)
        {
            return RunNotFound(run);
        }

        if (snapshot.Run.Status.IsTerminal() || !await engine.CancelAsync(run, "cancelled through the API", cancellationToken))
        {
            return ApiProblems.Conflict($"Run {run} already ended ({snapshot.Run.Status.ToWire()}).");
        }

        var after = await store.GetAsync(run, cancellationToken);
        return TypedResults.Ok(RunResponse.From(after!));
    }

    /// <summary>Run ids are uuids; anything else is unknown (and never reaches a storage query).</summary>
    internal static async Task<RunSnapshot?> FindAsync(IRunStore store, string run, CancellationToken cancellationToken) =>
        RunId().IsMatch(run) ? await store.GetAsync(run, cancellationToken) : null;

    internal static IResult RunNotFound(string run) => ApiProblems.NotFound($"Run \"{run}\" does not exist.");

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex RunId();
}
