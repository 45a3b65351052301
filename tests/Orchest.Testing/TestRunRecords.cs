using Orchest.Engine.Runs;
using Orchest.Pipelines;

namespace Orchest.Testing;

/// <summary>Run records for tests that need a run but not a pipeline: run "run-1" of project "p", pipeline main.orchest.</summary>
public static class TestRunRecords
{
    public static RunRecord Minimal(DateTimeOffset created, string sessionType = "noninteractive") => new()
    {
        Id = "run-1",
        ProjectId = "p",
        PipelinePath = "main.orchest",
        PipelineUuid = "pipe",
        PipelineName = "main",
        RunType = RunType.Full,
        SessionType = sessionType,
        MaxStepsParallelism = 0,
        FailurePolicy = FailurePolicy.FailFast,
        Created = created,
    };
}
