using System.Text.Json.Nodes;
using Orchest.Engine.Runs;

namespace Orchest.Functions.Api.Contracts;

/// <summary>A run as the API shows it (snake_case on the wire); a job's run names its job, tick, index and parameter set.</summary>
public sealed record RunResponse(
    string Id,
    string Project,
    string Pipeline,
    string PipelineUuid,
    string PipelineName,
    string? Commit,
    string RunType,
    string Status,
    DateTimeOffset Created,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    IReadOnlyList<RunStepResponse>? Steps,
    string? JobId = null,
    long? JobTick = null,
    int? JobRunIndex = null,
    JsonObject? JobParameters = null)
{
    public static RunResponse From(RunRecord run, IReadOnlyList<StepRecord>? steps) => new(
        run.Id,
        run.ProjectId,
        run.PipelinePath,
        run.PipelineUuid,
        run.PipelineName,
        run.Commit,
        run.RunType.ToString().ToLowerInvariant(),
        run.Status.ToWire(),
        run.Created,
        run.Started,
        run.Finished,
        steps?.Select(RunStepResponse.From).ToList(),
        run.JobId,
        run.JobTick,
        run.JobRunIndex,
        (JsonObject?)run.JobParameters?.DeepClone());

    public static RunResponse From(RunSnapshot snapshot) => From(snapshot.Run, snapshot.Steps);
}
