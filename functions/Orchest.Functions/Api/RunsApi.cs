using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
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

    internal static async Task<IResult> GetAsync(string run, IRunProjection runs, CancellationToken cancellationToken) =>
        await FindAsync(runs, run, cancellationToken) is { } snapshot
            ? TypedResults.Ok(RunResponse.From(snapshot))
            : RunNotFound(run);

    internal static async Task<IResult> ListAsync(
        string project, string? status, string? pipeline,
        [FromQuery(Name = "page_size")] int? pageSize, [FromQuery(Name = "continuation_token")] string? continuationToken,
        TableProjectRegistry registry, IRunProjection runs, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var wanted = RunListQuery.Read(status, pageSize, errors);

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid("The query is not valid", errors);
        }

        if (await registry.GetAsync(project, cancellationToken) is null)
        {
            return ProjectsApi.ProjectNotFound(project);
        }

        var page = await runs.ListAsync(new RunQuery(project, wanted, pipeline, pageSize ?? 50, continuationToken), cancellationToken);
        return TypedResults.Ok(new RunListResponse(page.Runs.Select(r => RunResponse.From(r, null)).ToList(), page.ContinuationToken));
    }

    /// <summary>How long DELETE waits for the run's orchestration to abort it before answering 202 instead of 200.</summary>
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(10);

    internal static async Task<IResult> CancelAsync(string run, IRunProjection runs, RunStarter starter, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await FindAsync(runs, run, cancellationToken) is not { } snapshot)
        {
            return RunNotFound(run);
        }

        if (snapshot.Run.Status.IsTerminal() || snapshot.Run.CancelRequested
            || !await starter.CancelAsync(run, "cancelled through the API", cancellationToken))
        {
            return ApiProblems.Conflict(snapshot.Run.Status.IsTerminal()
                ? $"Run {run} already ended ({snapshot.Run.Status.ToWire()})."
                : $"Run {run} is already being cancelled.");
        }

        // The orchestration decides the abort; the caller usually gets the ended run, else 202.
        var deadline = clock.GetUtcNow() + CancelWait;
        while (true)
        {
            var after = await runs.GetAsync(run, cancellationToken) ?? snapshot;
            if (after.Run.Status.IsTerminal())
            {
                return TypedResults.Ok(RunResponse.From(after));
            }

            if (clock.GetUtcNow() >= deadline)
            {
                return TypedResults.Accepted($"/api/runs/{run}", RunResponse.From(after));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
        }
    }

    /// <summary>Run ids are uuids; anything else is unknown (and never reaches a storage query).</summary>
    internal static async Task<RunSnapshot?> FindAsync(IRunProjection runs, string run, CancellationToken cancellationToken) =>
        IsRunId(run) ? await runs.GetAsync(run, cancellationToken) : null;

    internal static bool IsRunId(string run) => RunId().IsMatch(run);

    internal static IResult RunNotFound(string run) => ApiProblems.NotFound($"Run \"{run}\" does not exist.");

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex RunId();
}
