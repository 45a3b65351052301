using System.Text.Json.Nodes;
using Orchest.Engine.Jobs;

namespace Orchest.Functions.Api.Contracts;

/// <summary>
/// A job as the API shows it (snake_case; Orchest's names where it had one: <c>next_scheduled_time</c>,
/// <c>max_retained_pipeline_runs</c>). Environment variables by name only. <c>history</c> only on
/// <c>GET /api/jobs/{job}</c>: its latest ticks, newest first. <c>declared</c>: the job file that declares
/// the job (jobs as code), null for jobs made through the API.
/// </summary>
public sealed record JobResponse(
    string Id,
    string Project,
    string Name,
    string Pipeline,
    string? Ref,
    string Status,
    string? Cron,
    string? TimeZone,
    DateTimeOffset? StartAt,
    string CatchUp,
    int CatchUpLimit,
    JsonArray? Parameters,
    JsonObject? Grid,
    IReadOnlyList<string> Env,
    int MaxRetainedPipelineRuns,
    DateTimeOffset? NextScheduledTime,
    DateTimeOffset? LastScheduledTime,
    long Ticks,
    long Runs,
    long SkippedTicks,
    string? Message,
    long Revision,
    DateTimeOffset Created,
    DateTimeOffset? Updated,
    IReadOnlyList<JobTickResponse>? History,
    JobDeclarationResponse? Declared = null)
{
    public static JobResponse From(JobSnapshot job, IReadOnlyList<JobTick>? history = null)
    {
        var (definition, state) = (job.Definition, job.State);
        return new JobResponse(
            definition.Id,
            definition.ProjectId,
            definition.Name,
            definition.PipelinePath,
            definition.Ref,
            state.Status.ToWire(),
            definition.Schedule.Cron,
            definition.Schedule.TimeZone,
            definition.Schedule.StartAt,
            definition.Schedule.CatchUp.ToString().ToLowerInvariant(),
            definition.Schedule.CatchUpLimit,
            (JsonArray?)definition.Parameters?.DeepClone(),
            (JsonObject?)definition.Grid?.DeepClone(),
            definition.EnvironmentNames,
            definition.MaxRetainedRuns,
            state.NextScheduled,
            state.LastScheduled,
            state.Ticks,
            state.Runs,
            state.SkippedTicks,
            state.Message,
            definition.Revision,
            definition.Created,
            definition.Updated,
            history?.Select(JobTickResponse.From).ToList(),
            definition.Declaration is { } d ? new JobDeclarationResponse(d.File, d.Commit, d.OnPush, d.Branches, d.Paths) : null);
    }
}
