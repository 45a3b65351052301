using System.Text.Json.Nodes;
using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Hosting;
using Orchest.Functions.Jobs;
using Orchest.Functions.Projects;
using Orchest.Git;

namespace Orchest.Functions.Api;

/// <summary>
/// <c>POST /api/projects/{project}/jobs</c>: checks everything (schedule, parameter sets, environment names,
/// retention, the pipeline at the ref and the steps the parameters name), reports every problem at once and
/// stores nothing unless the job is valid; then stores it and starts its orchestration (unless a draft).
/// </summary>
internal static class JobCreation
{
    public static async Task<IResult> CreateAsync(
        string project, JsonObject? body, TableProjectRegistry registry, ProjectPipelines pipelines, IJobStore jobs, IJobSecrets secrets,
        IDurableJobs orchestrations, JobOptions options, HostServiceSupport services, TimeProvider clock, ILogger<JobOptions> logger, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(project, cancellationToken) is null)
        {
            return ProjectsApi.ProjectNotFound(project);
        }

        if (body is null)
        {
            return ApiProblems.Invalid("The job is not valid", ["The request body must be a JSON object describing the job (at least its \"pipeline\" when the project has several)."]);
        }

        var now = clock.GetUtcNow();
        var problems = new List<string>();
        var baseline = new JobDefinition
        {
            Id = Guid.CreateVersion7(now).ToString(),
            ProjectId = project,
            Name = "",
            PipelinePath = "",
            Schedule = new JobSchedule(),
            Created = now,
        };
        var request = JobRequestReader.Read(body, baseline, problems);
        if (request.ConfirmDraft)
        {
            problems.Add("\"confirm_draft\" confirms an existing draft (PATCH /api/jobs/{job}); a new job is confirmed unless \"draft\" is true.");
        }

        EnvironmentNames.Check(request.Environment, problems);
        var definition = await JobValidation.CheckAsync(request.Definition, pipelines, services, now, problems, cancellationToken);
        if (definition is null || problems.Count > 0)
        {
            return ApiProblems.Invalid("The job is not valid", problems);
        }

        // The values first: a job whose definition exists finds its environment.
        if (request.Environment is { Count: > 0 } environment)
        {
            await secrets.WriteAsync(definition.Id, environment, cancellationToken);
        }

        var status = request.Draft ? JobStatus.Draft : JobStart.StatusOf(definition);
        var state = new JobState { Status = status, Updated = now };
        await jobs.CreateAsync(definition, state, cancellationToken);
        if (!request.Draft)
        {
            await orchestrations.StartAsync(JobStart.Input(definition, now, options), cancellationToken);
        }

        HostLogs.JobCreated(logger, definition.Id, project, status.ToWire());
        return TypedResults.Created($"/api/jobs/{definition.Id}", JobResponse.From(new JobSnapshot(definition, state)));
    }
}
