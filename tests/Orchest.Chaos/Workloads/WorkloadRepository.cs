using System.Text.Json.Nodes;
using Orchest.Testing;

namespace Orchest.Chaos.Workloads;

/// <summary>
/// A trial's project: one git repository with a pipeline file per planned run, all steps running <see cref="StepScript"/>,
/// and for each pushed run a job file its push starts (the push changes only its own file, so it starts only that job).
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
            var pipeline = new PipelineBuilder($"chaos {run.Name}");
            if (run.ContinueOnFailure)
            {
                pipeline.Setting("failure_policy", "continue");
            }

            foreach (var step in run.Steps)
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

            origin.Write(run.PipelinePath, pipeline.ToJson());
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

        origin.Commit("chaos workload");
        return origin;
    }
}
