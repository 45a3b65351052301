using System.Text.Json.Nodes;
using Orchest.Pipelines;

namespace Orchest.Engine.Runs;

/// <summary>Turns a validated pipeline, its run graph and a request into the rows of a new run (pure).</summary>
public static class RunPlanner
{
    public static RunPlan Plan(RunRequest request, PipelineDefinition pipeline, RunGraph graph, DateTimeOffset now, string? runId = null)
    {
        var id = runId ?? Guid.CreateVersion7(now).ToString();
        var effective = ApplyOverrides(pipeline, request);
        var run = new RunRecord
        {
            Id = id,
            ProjectId = request.ProjectId,
            PipelinePath = pipeline.Path,
            PipelineUuid = pipeline.Uuid,
            PipelineName = pipeline.Name,
            Commit = request.Commit,
            RunType = request.RunType,
            RequestedSteps = request.Steps,
            SessionType = request.SessionType,
            JobId = request.JobId,
            JobTick = request.JobTick,
            JobRunIndex = request.JobRunIndex,
            JobParameters = (JsonObject?)request.JobParameters?.DeepClone(),
            JobKind = request.JobKind,
            MaxStepsParallelism = pipeline.Settings.MaxStepsParallelism,
            FailurePolicy = pipeline.Settings.FailurePolicy,
            Created = now,
            EventCount = 1,
        };
        var steps = graph.Steps.Select(node =>
        {
            var step = effective.GetStep(node.Uuid)!;
            return new StepRecord
            {
                Uuid = step.Uuid,
                Title = step.Title,
                FilePath = step.ProjectPath ?? step.FilePath,
                Parents = node.Parents,
                Children = node.Children,
                Retry = step.Retry ?? pipeline.Settings.Retry,
            };
        }).ToList();
        var definition = new RunDefinition
        {
            RunId = id,
            PipelineJson = effective.ToJson().ToJsonString(),
            Workspace = request.Workspace,
            EnvironmentVariables = request.EnvironmentVariables,
        };
        var created = new RunEvent(RunEventTypes.RunCreated, id, null, now, ExecutionStatus.Pending);
        return new RunPlan(new RunSnapshot(run, steps), definition, [created]);
    }

    private static PipelineDefinition ApplyOverrides(PipelineDefinition pipeline, RunRequest request)
    {
        var pipelineParameters = request.PipelineParameters is { } p ? Merge(pipeline.Parameters, p) : null;
        Dictionary<string, JsonObject>? stepParameters = null;
        if (request.StepParameters is { Count: > 0 } overrides)
        {
            stepParameters = overrides.ToDictionary(
                o => o.Key,
                o => Merge(pipeline.GetStep(o.Key)?.Parameters ?? [], o.Value),
                StringComparer.Ordinal);
        }

        return pipelineParameters is null && stepParameters is null
            ? pipeline
            : pipeline.WithParameters(pipelineParameters, stepParameters);
    }

    private static JsonObject Merge(JsonObject baseline, JsonObject overrides)
    {
        var merged = (JsonObject)baseline.DeepClone();
        foreach (var (key, value) in overrides)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }
}
