using Microsoft.AspNetCore.Http.HttpResults;
using Orchest.Durable.Jobs;
using Orchest.Engine.Ports;
using Orchest.Functions.Api;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Jobs;
using Orchest.Functions.Projects;
using Orchest.Functions.Ui.Pages;
using Orchest.Functions.Ui.Views;
using Orchest.Git;

namespace Orchest.Functions.Ui;

/// <summary>
/// Creating a job (<c>/projects/{project}/jobs/new</c>) and its buttons (pause, resume, trigger now, cancel).
/// Each goes through the jobs API's own handler, so the UI accepts and refuses exactly what the API does,
/// with its messages.
/// </summary>
internal static class JobForms
{
    public static async Task<IResult> NewAsync(
        string project, TableProjectRegistry registry, ProjectPipelines pipelines, CancellationToken cancellationToken)
    {
        if (!TableProjectRegistry.IsValidId(project) || await registry.GetAsync(project, cancellationToken) is not { } found)
        {
            return UiPage.NotFound($"There is no project \"{project}\".");
        }

        return await FormAsync(found, NewJobEntry.Empty, [], StatusCodes.Status200OK, pipelines, cancellationToken);
    }

    public static async Task<IResult> CreateAsync(
        string project, HttpContext http, TableProjectRegistry registry, ProjectPipelines pipelines, IJobStore jobs, IJobSecrets secrets,
        IDurableJobs orchestrations, JobOptions options, HostServiceSupport services, TimeProvider clock, ILogger<JobOptions> logger)
    {
        var cancellationToken = http.RequestAborted;
        if (!TableProjectRegistry.IsValidId(project) || await registry.GetAsync(project, cancellationToken) is not { } found)
        {
            return UiPage.NotFound($"There is no project \"{project}\".");
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);
        var entry = new NewJobEntry(
            form["name"].ToString(), form["pipeline"].ToString(), form["ref"].ToString(), form["schedule"].ToString() is { Length: > 0 } s ? s : "cron",
            form["cron"].ToString(), form["time_zone"].ToString(), form["start_at"].ToString(), form["parameters"].ToString());
        var problems = new List<string>();
        if (JobForm.ToBody(entry, problems) is not { } body)
        {
            return await FormAsync(found, entry, problems, StatusCodes.Status400BadRequest, pipelines, cancellationToken);
        }

        var result = await JobCreation.CreateAsync(project, body, registry, pipelines, jobs, secrets, orchestrations, options, services, clock, logger, cancellationToken);
        return result is Created<JobResponse> { Value: { } job }
            ? UiPage.SeeOther($"/jobs/{job.Id}")
            : await FormAsync(found, entry, UiProblems.Messages(result), UiProblems.Status(result), pipelines, cancellationToken);
    }

    public static Task<IResult> PauseAsync(
        string job, IJobStore jobs, IDurableJobs orchestrations, TimeProvider clock, ILogger<JobOptions> logger, TableProjectRegistry registry,
        IRunProjection runs, JobOptions options, CancellationToken cancellationToken) =>
        AfterAsync(job, JobControl.PauseAsync(job, jobs, orchestrations, clock, logger, cancellationToken), jobs, registry, runs, options, cancellationToken);

    public static Task<IResult> ResumeAsync(
        string job, IJobStore jobs, IDurableJobs orchestrations, TimeProvider clock, ILogger<JobOptions> logger, TableProjectRegistry registry,
        IRunProjection runs, JobOptions options, CancellationToken cancellationToken) =>
        AfterAsync(job, JobControl.ResumeAsync(job, jobs, orchestrations, clock, logger, cancellationToken), jobs, registry, runs, options, cancellationToken);

    public static Task<IResult> TriggerAsync(
        string job, IJobStore jobs, IDurableJobs orchestrations, ILogger<JobOptions> logger, TableProjectRegistry registry,
        IRunProjection runs, JobOptions options, CancellationToken cancellationToken) =>
        AfterAsync(job, JobControl.TriggerAsync(job, jobs, orchestrations, logger, cancellationToken), jobs, registry, runs, options, cancellationToken);

    public static Task<IResult> CancelAsync(
        string job, IJobStore jobs, IDurableJobs orchestrations, IJobRuns jobRuns, TimeProvider clock, ILogger<JobOptions> logger,
        TableProjectRegistry registry, IRunProjection runs, JobOptions options, CancellationToken cancellationToken) =>
        AfterAsync(job, JobControl.CancelAsync(job, jobs, orchestrations, jobRuns, clock, logger, cancellationToken), jobs, registry, runs, options, cancellationToken);

    /// <summary>Back to the job's page after a command (303); a refused command shows the page with the API's reason.</summary>
    private static async Task<IResult> AfterAsync(
        string job, Task<IResult> command, IJobStore jobs, TableProjectRegistry registry, IRunProjection runs, JobOptions options,
        CancellationToken cancellationToken)
    {
        var result = await command;
        if (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
        {
            return UiPage.SeeOther($"/jobs/{job}");
        }

        var status = UiProblems.Status(result);
        return await JobPages.PageAsync(job, null, UiProblems.Messages(result), status, jobs, registry, runs, options, cancellationToken)
               ?? UiPage.NotFound($"There is no job \"{job}\" (it may have been deleted).");
    }

    private static async Task<IResult> FormAsync(
        ProjectEntry project, NewJobEntry entry, IReadOnlyList<string> errors, int status, ProjectPipelines pipelines, CancellationToken cancellationToken)
    {
        PipelineListing? listing = null;
        var problems = errors;
        try
        {
            listing = await pipelines.ListAsync(project.Id, null, cancellationToken);
        }
        catch (Exception ex) when (ex is GitRepositoryException or GitRefNotFoundException)
        {
            // The form still works with a typed pipeline path.
            problems = [.. errors, $"The repository cannot be read: {ex.Message}"];
        }

        return UiPage.Render<NewJobPage>(new { Project = project, Listing = listing, Entered = entry, Errors = problems }, status);
    }
}
