using System.Text.Json.Nodes;
using Orchest.Testing;

namespace Orchest.Chaos.Workloads;

/// <summary>
/// A trial's project: one git repository with a pipeline file per planned run, all steps running <see cref="StepScript"/>,
/// and for each pushed run a job file its push starts (the push changes only its own file, so it starts only that job);
/// plus the pipeline of the trial's cron job (<see cref="ScheduledJob"/>).
/// </summary>
public static class WorkloadRepository
{
    private static readonly JsonObject Retry = new() { ["max_attempts"] = 2, ["backoff_seconds"] = 1 };

    /// <summary>Writes and commits the repository (deleted when disposed).</summary>
    public static GitOrigin Create(TrialPlan plan)
    {
        var origin = new GitOrigin("chaos");
        origin.Write(StepScript.FileName, StepScript.Source);
        foreach (var run in plan.Runs)
        {
            origin.Write(run.PipelinePath, Pipeline($"chaos {run.Name}", run.Steps, run.ContinueOnFailure));
            if (run.Pushed)
            {
                var job = new JsonObject
                {
                    ["pipeline"] = run.PipelinePath,
                    ["on"] = new JsonObject { ["push"] = new JsonObject { ["paths"] = new JsonArray(run.PushedFile) } },
                };
                origin.Write(run.JobFile, job.ToJsonString());
            }
        }

        origin.Write(ScheduledJob.PipelinePath, Pipeline("chaos job", ScheduledJob.Steps, continueOnFailure: false));
        origin.Commit("chaos workload");
        return origin;
    }

    private static string Pipeline(string name, IReadOnlyList<PlannedStep> steps, bool continueOnFailure)
    {
        var pipeline = new PipelineBuilder(name);
        if (continueOnFailure)
        {
            pipeline.Setting("failure_policy", "continue");
        }

        foreach (var step in steps)
        {
            var parameters = new JsonObject
            {
                ["title"] = step.Title,
                ["parents"] = new JsonArray([.. step.Parents.Select(p => (JsonNode)p)]),
                ["sleep"] = step.SleepSeconds,
                ["fail"] = step.Failure switch { StepFailure.Always => "always", StepFailure.FirstAttempt => "first", _ => "never" },
            };
            var extra = step.Retried ? new JsonObject { ["retry"] = Retry.DeepClone() } : null;
            pipeline.Step(step.Title, StepScript.FileName, parents: [.. step.Parents], parameters: parameters, extra: extra);
        }

        return pipeline.ToJson();
    }
}
