using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;
using Orchest.Functions.Api;
using Orchest.Git;
using Orchest.Pipelines;
using Orchest.Pipelines.Parameters;

namespace Orchest.Functions.Jobs;

/// <summary>
/// Checks a job definition the way its ticks will use it: the schedule, the parameter sets, the retention,
/// and the pipeline at the job's ref (it exists and is valid, the parameter sets name only its steps).
/// Every problem is reported at once.
/// </summary>
internal static class JobValidation
{
    private const int MaxNameLength = 255;

    /// <summary>The definition with its pipeline path and name settled; null when there were problems (added to <paramref name="problems"/>).</summary>
    /// <exception cref="GitRepositoryException">The repository could not be fetched (not the request's fault: 502).</exception>
    public static async Task<JobDefinition?> CheckAsync(
        JobDefinition definition, ProjectPipelines pipelines, HostServiceSupport services, DateTimeOffset now, List<string> problems, CancellationToken cancellationToken)
    {
        if (definition.Name.Length > MaxNameLength)
        {
            problems.Add($"\"name\" must be at most {MaxNameLength} characters.");
        }

        TickSchedule.Read(definition.Schedule, now, problems);
        var parameters = JobParameters.Read(definition.Parameters, definition.Grid, problems);
        if (definition.MaxRetainedRuns < -1)
        {
            problems.Add("\"max_retained_pipeline_runs\" must be -1 (keep every run) or more.");
        }

        PipelineAtRef load;
        try
        {
            load = await PipelineAtRef.LoadAsync(
                pipelines, definition.ProjectId, definition.Ref, definition.PipelinePath.Length == 0 ? null : definition.PipelinePath, cancellationToken);
        }
        catch (GitRefNotFoundException ex)
        {
            problems.Add($"\"ref\": {ex.Message}");
            return null;
        }

        problems.AddRange(load.RequestProblems);
        problems.AddRange(load.PipelineProblems);
        if (load.Pipeline is { } declaring && services.Problem(declaring) is { } unavailable)
        {
            problems.Add(unavailable);
        }
        if (load.Pipeline is { } pipeline && parameters?.Bind(pipeline, problems) is not null)
        {
            problems.AddRange(RunGraphBuilder.Build(pipeline, RunType.Full, []).Problems.Select(p => p.Message));
        }

        if (problems.Count > 0 || load.Read is not { } read)
        {
            return null;
        }

        return definition with
        {
            PipelinePath = read.Path,
            Name = definition.Name.Length > 0 ? definition.Name : $"{read.Path} job",
        };
    }
}
