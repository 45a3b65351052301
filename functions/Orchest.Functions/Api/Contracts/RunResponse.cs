using Orchest.Engine.Runs;

namespace Orchest.Functions.Api.Contracts;

/// <summary>A run as the API shows it (snake_case on the wire).</summary>
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
    IReadOnlyList<RunStepResponse>? Steps)
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
        steps?.Select(RunStepResponse.From).ToList());

    public static RunResponse From(RunSnapshot snapshot) => From(snapshot.Run, snapshot.Steps);
}
