using System.Text.Json.Nodes;
using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Hosting;
using Orchest.Functions.Jobs;
using Orchest.Git;

namespace Orchest.Functions.Api;

/// <summary>
/// <c>PATCH /api/jobs/{job}</c>: a JSON merge patch of the job's fields (absent: unchanged, null: reset), checked
/// as at creation. As in Orchest, an ended job cannot change, and a one-off job that is not a draft can only be
/// renamed. A cron job's new schedule applies from its next tick. <c>"confirm_draft": true</c> starts a draft.
/// </summary>
internal static class JobUpdate
{
    public static async Task<IResult> UpdateAsync(
        string job, JsonObject? body, ProjectPipelines pipelines, IJobStore jobs, IJobSecrets secrets, IDurableJobs orchestrations,
        JobOptions options, HostServiceSupport services, TimeProvider clock, ILogger<JobOptions> logger, CancellationToken cancellationToken)
    {
        if (await JobsApi.FindAsync(jobs, job, cancellationToken) is not { } current)
        {
            return JobsApi.JobNotFound(job);
        }

        var status = current.State.Status;
        if (status.IsFinal())
        {
            return ApiProblems.Conflict($"Job {job} already ended ({status.ToWire()}); an ended job cannot change.");
        }

        var now = clock.GetUtcNow();
        var problems = new List<string>();
        var before = current.Definition;
        var request = JobRequestReader.Read(body ?? [], before with { Revision = before.Revision + 1, Updated = now }, problems);
        if (request.Draft)
        {
            problems.Add("\"draft\" applies when creating a job.");
        }

        var draft = status == JobStatus.Draft;
        if (request.ConfirmDraft && !draft)
        {
            problems.Add($"\"confirm_draft\": job {job} is not a draft ({status.ToWire()}).");
        }

        if (!draft && Conflict(before, request) is { } conflict)
        {
            return ApiProblems.Conflict(conflict);
        }

        EnvironmentNames.Check(request.Environment, problems);
        var definition = await JobValidation.CheckAsync(request.Definition, pipelines, services, now, problems, cancellationToken);
        if (definition is null || problems.Count > 0)
        {
            return ApiProblems.Invalid("The job update is not valid", problems);
        }

        if (request.Environment is { } environment)
        {
            await secrets.WriteAsync(job, environment, cancellationToken);
        }

        definition = await jobs.UpdateAsync(definition, cancellationToken);
        HostLogs.JobUpdated(logger, job, definition.Revision);
        var state = current.State;
        if (draft && request.ConfirmDraft)
        {
            state = state with { Status = JobStart.StatusOf(definition), Updated = now };
            await jobs.ApplyRequestedAsync(new JobProgress(job, state, JobStatus.Draft), cancellationToken);
            await orchestrations.StartAsync(JobStart.Input(definition, now, options), cancellationToken);
        }
        else if (!draft)
        {
            await orchestrations.SendAsync(
                job, new JobCommand(JobCommandKind.Update, Guid.NewGuid().ToString(), definition.Schedule, definition.Revision), cancellationToken);
        }

        return TypedResults.Ok(JobResponse.From(new JobSnapshot(definition, state)));
    }

    /// <summary>What a job past its draft may not change (Orchest's rules), or null.</summary>
    private static string? Conflict(JobDefinition before, JobRequest request)
    {
        var after = request.Definition;
        if (!before.Schedule.IsCron)
        {
            var renamedOnly = after with { Name = before.Name, Revision = before.Revision, Updated = before.Updated } == before
                              && request.Environment is null;
            return renamedOnly
                ? null
                : $"Job {before.Id} is a one-off job past its draft: it can only be renamed (schedule, parameters, environment and retention change only for drafts and cron jobs).";
        }

        return after.Schedule.IsCron
            ? null
            : $"Job {before.Id} is a cron job: \"cron\" can change but not be removed (create a one-off job instead).";
    }
}
