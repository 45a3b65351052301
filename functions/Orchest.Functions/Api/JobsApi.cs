using Microsoft.AspNetCore.Mvc;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Jobs;
using Orchest.Functions.Projects;

namespace Orchest.Functions.Api;

/// <summary>
/// <c>/api/projects/{project}/jobs</c> and <c>/api/jobs/{job}</c>: create, inspect, list, update, pause,
/// resume, trigger and cancel jobs, and list a job's runs.
/// </summary>
internal static class JobsApi
{
    /// <summary>How long a command waits for the job's orchestration to act on it before answering 202 instead of 200.</summary>
    private static readonly TimeSpan CommandWait = TimeSpan.FromSeconds(10);

    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/projects/{project}/jobs", JobCreation.CreateAsync).WithName("CreateJob").WithTags("jobs");
        api.MapGet("/projects/{project}/jobs", ListAsync).WithName("ListJobs").WithTags("jobs");
        var jobs = api.MapGroup("/jobs/{job}").WithTags("jobs");
        jobs.MapGet("", GetAsync).WithName("GetJob");
        jobs.MapPatch("", JobUpdate.UpdateAsync).WithName("UpdateJob");
        jobs.MapDelete("", JobControl.CancelAsync).WithName("CancelJob");
        jobs.MapPost("/pause", JobControl.PauseAsync).WithName("PauseJob");
        jobs.MapPost("/resume", JobControl.ResumeAsync).WithName("ResumeJob");
        jobs.MapPost("/trigger", JobControl.TriggerAsync).WithName("TriggerJob");
        jobs.MapGet("/runs", ListRunsAsync).WithName("ListJobRuns");
        return api;
    }

    internal static async Task<IResult> GetAsync(string job, IJobStore jobs, JobOptions options, CancellationToken cancellationToken)
    {
        return await FindWithHistoryAsync(jobs, job, options, cancellationToken) is { } found
            ? TypedResults.Ok(JobResponse.From(found.Job, found.History))
            : JobNotFound(job);
    }

    internal static async Task<IResult> ListAsync(string project, TableProjectRegistry registry, IJobStore jobs, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(project, cancellationToken) is null)
        {
            return ProjectsApi.ProjectNotFound(project);
        }

        var list = await jobs.ListAsync(project, cancellationToken);
        return TypedResults.Ok(new JobListResponse(list.Select(j => JobResponse.From(j)).ToList()));
    }

    /// <summary>A page of the job's runs, newest first (tick, then parameter set order), optionally of one status.</summary>
    internal static async Task<IResult> ListRunsAsync(
        string job, string? status,
        [FromQuery(Name = "page_size")] int? pageSize, [FromQuery(Name = "continuation_token")] string? continuationToken,
        IJobStore jobs, IRunProjection runs, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var wanted = RunListQuery.Read(status, pageSize, errors);

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid("The query is not valid", errors);
        }

        if (await FindAsync(jobs, job, cancellationToken) is null)
        {
            return JobNotFound(job);
        }

        var (entries, token) = await jobs.ListRunsAsync(job, pageSize ?? 50, continuationToken, cancellationToken);
        var records = await Task.WhenAll(entries.Select(e => runs.GetAsync(e.RunId, cancellationToken)));
        var shown = records.OfType<RunSnapshot>()
            .Where(r => wanted is not { } s || r.Run.Status == s)
            .Select(r => RunResponse.From(r.Run, null))
            .ToList();
        return TypedResults.Ok(new RunListResponse(shown, token));
    }

    /// <summary>Job ids are uuids; anything else is unknown (and never reaches a storage query).</summary>
    internal static async Task<JobSnapshot?> FindAsync(IJobStore jobs, string job, CancellationToken cancellationToken) =>
        Guid.TryParse(job, out _) ? await jobs.GetAsync(job, cancellationToken) : null;

    /// <summary>
    /// The job and its newest ticks (<see cref="JobOptions.HistoryShown"/>), or null when there is no such job. The
    /// history is read first: a tick's record and the job's counters are written together, so every tick listed
    /// with its runs is counted by the job read after it (read the other way round, a tick recorded in between
    /// would be listed but not counted).
    /// </summary>
    internal static async Task<(JobSnapshot Job, IReadOnlyList<JobTick> History)?> FindWithHistoryAsync(
        IJobStore jobs, string job, JobOptions options, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(job, out _))
        {
            return null;
        }

        var history = await jobs.ListTicksAsync(job, Math.Max(1, options.HistoryShown), cancellationToken);
        return await jobs.GetAsync(job, cancellationToken) is { } found ? (found, history.Take(options.HistoryShown).ToList()) : null;
    }

    internal static IResult JobNotFound(string job) => ApiProblems.NotFound($"Job \"{job}\" does not exist.");

    /// <summary>Polls the job until <paramref name="done"/> holds (200 with it) or the wait ends (202 with it as it is).</summary>
    internal static async Task<IResult> WaitForAsync(
        IJobStore jobs, string job, Func<JobSnapshot, bool> done, TimeProvider clock, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + CommandWait;
        while (true)
        {
            var snapshot = await jobs.GetAsync(job, cancellationToken)
                           ?? throw new InvalidOperationException($"Job {job} disappeared while a command was sent to it.");
            if (done(snapshot))
            {
                return TypedResults.Ok(JobResponse.From(snapshot));
            }

            if (clock.GetUtcNow() >= deadline)
            {
                return TypedResults.Accepted($"/api/jobs/{job}", JobResponse.From(snapshot));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
        }
    }
}
