using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Hosting;
using Orchest.Functions.Jobs;
using Orchest.Pipelines.Parameters;

namespace Orchest.Functions.Api;

/// <summary>
/// Pause, resume, trigger and cancel (<c>POST /api/jobs/{job}/pause|resume|trigger</c>, <c>DELETE /api/jobs/{job}</c>):
/// each is a command to the job's orchestration, allowed in Orchest's states (409 otherwise). The answer waits
/// briefly for the orchestration to act: 200 with the job as it then is, else 202.
/// </summary>
internal static class JobControl
{
    internal static async Task<IResult> PauseAsync(
        string job, IJobStore jobs, IDurableJobs orchestrations, TimeProvider clock, ILogger<JobOptions> logger, CancellationToken cancellationToken)
    {
        if (await JobsApi.FindAsync(jobs, job, cancellationToken) is not { } found)
        {
            return JobsApi.JobNotFound(job);
        }

        if (!found.Definition.Schedule.IsCron || found.State.Status != JobStatus.Started)
        {
            return ApiProblems.Conflict($"Only a STARTED cron job can be paused; job {job} is {Describe(found)}.");
        }

        await SendAsync(orchestrations, job, JobCommandKind.Pause, logger, cancellationToken);
        return await JobsApi.WaitForAsync(jobs, job, j => j.State.Status != JobStatus.Started, clock, cancellationToken);
    }

    internal static async Task<IResult> ResumeAsync(
        string job, IJobStore jobs, IDurableJobs orchestrations, TimeProvider clock, ILogger<JobOptions> logger, CancellationToken cancellationToken)
    {
        if (await JobsApi.FindAsync(jobs, job, cancellationToken) is not { } found)
        {
            return JobsApi.JobNotFound(job);
        }

        if (found.State.Status != JobStatus.Paused)
        {
            return ApiProblems.Conflict($"Only a PAUSED job can be resumed; job {job} is {Describe(found)}.");
        }

        await SendAsync(orchestrations, job, JobCommandKind.Resume, logger, cancellationToken);
        return await JobsApi.WaitForAsync(jobs, job, j => j.State.Status != JobStatus.Paused, clock, cancellationToken);
    }

    /// <summary>One tick's runs now (Orchest: a cron job STARTED or PAUSED, or a one-off job still PENDING); a paused job stays paused.</summary>
    internal static async Task<IResult> TriggerAsync(
        string job, IJobStore jobs, IDurableJobs orchestrations, ILogger<JobOptions> logger, CancellationToken cancellationToken)
    {
        if (await JobsApi.FindAsync(jobs, job, cancellationToken) is not { } found)
        {
            return JobsApi.JobNotFound(job);
        }

        var (definition, status) = (found.Definition, found.State.Status);
        var allowed = definition.Schedule.IsCron ? status is JobStatus.Started or JobStatus.Paused : status == JobStatus.Pending;
        if (!allowed)
        {
            return ApiProblems.Conflict(
                $"A job can be triggered when it is a STARTED or PAUSED cron job or a PENDING one-off job; job {job} is {Describe(found)}.");
        }

        var trigger = Guid.NewGuid().ToString();
        var sets = JobParameters.Read(definition.Parameters, definition.Grid, new List<string>())?.Sets.Count ?? 0;
        var runIds = Enumerable.Range(0, sets).Select(i => JobRunIds.For(job, JobRunIds.TriggerKey(trigger), i)).ToList();
        await orchestrations.SendAsync(job, new JobCommand(JobCommandKind.Trigger, trigger), cancellationToken);
        HostLogs.JobCommandSent(logger, job, nameof(JobCommandKind.Trigger));
        return TypedResults.Accepted($"/api/jobs/{job}/runs", new JobTriggerResponse(trigger, runIds, JobResponse.From(found)));
    }

    /// <summary>Cancels the job: its unfinished runs are stopped and it ends ABORTED (Orchest's DELETE /api/jobs/{job}).</summary>
    internal static async Task<IResult> CancelAsync(
        string job, IJobStore jobs, IDurableJobs orchestrations, IJobRuns runs, TimeProvider clock, ILogger<JobOptions> logger, CancellationToken cancellationToken)
    {
        if (await JobsApi.FindAsync(jobs, job, cancellationToken) is not { } found)
        {
            return JobsApi.JobNotFound(job);
        }

        var status = found.State.Status;
        if (status.IsFinal())
        {
            return ApiProblems.Conflict($"Job {job} already ended ({status.ToWire()}).");
        }

        var pushOnly = GitHooks.DeclaredJobs.IsPushOnly(found.Definition);
        if (status == JobStatus.Draft || pushOnly)
        {
            // A draft or a push-only declared job has no orchestration: nothing schedules, so nothing to tell. If
            // this host dies before the end, the timers host's repair stops the runs and publishes the events.
            var aborted = found.State with { Status = JobStatus.Aborted, Message = pushOnly ? "Cancelled through the API." : "Cancelled as a draft.", Updated = clock.GetUtcNow() };
            await jobs.ApplyRequestedAsync(new JobProgress(job, aborted, status), cancellationToken);
            if (pushOnly)
            {
                await runs.CancelAsync(job, "its job was cancelled", cancellationToken);
            }
            return TypedResults.Ok(JobResponse.From(found with { State = aborted }));
        }

        await orchestrations.SendAsync(job, new JobCommand(JobCommandKind.Cancel, Guid.NewGuid().ToString(), Reason: "cancelled through the API"), cancellationToken);
        HostLogs.JobCommandSent(logger, job, nameof(JobCommandKind.Cancel));
        return await JobsApi.WaitForAsync(jobs, job, j => j.State.Status.IsFinal(), clock, cancellationToken);
    }

    private static async Task SendAsync(IDurableJobs orchestrations, string job, JobCommandKind kind, ILogger logger, CancellationToken cancellationToken)
    {
        await orchestrations.SendAsync(job, new JobCommand(kind, Guid.NewGuid().ToString()), cancellationToken);
        HostLogs.JobCommandSent(logger, job, kind.ToString());
    }

    private static string Describe(JobSnapshot job) =>
        $"{(job.Definition.Schedule.IsCron ? "a cron job" : "a one-off job")} in {job.State.Status.ToWire()}";
}
