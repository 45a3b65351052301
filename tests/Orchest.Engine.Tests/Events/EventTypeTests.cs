using Orchest.Engine.Events;
using Orchest.Engine.Runs;
using Orchest.Testing;

namespace Orchest.Engine.Tests.Events;

public sealed class EventTypeTests
{
    [Theory]
    [InlineData(null, null, RunEventTypes.RunFailed, "project:pipeline:interactive-session:pipeline-run:failed")]
    [InlineData("job-1", "cron", RunEventTypes.RunFailed, "project:cron-job:run:pipeline-run:failed")]
    [InlineData("job-1", "one-off", RunEventTypes.RunAborted, "project:one-off-job:pipeline-run:cancelled")]
    [InlineData("job-1", null, RunEventTypes.RunSucceeded, "project:one-off-job:pipeline-run:succeeded")]
    [InlineData(null, null, RunEventTypes.StepWorkerLost, "project:pipeline:interactive-session:pipeline-run:step:worker-lost")]
    [InlineData("job-1", "cron", RunEventTypes.RunCancelRequested, "project:cron-job:run:pipeline-run:cancel-requested")]
    public void Of_RunEventOfARunFromAnywhere_IsOrchestsNameOrOursInItsStyle(string? job, string? kind, string type, string expected)
    {
        var run = Run() with { JobId = job, JobKind = kind };

        Assert.Equal(expected, OrchestEventTypes.Of(new RunEvent(type, run.Id, null, T0, ExecutionStatus.Failure), run));
        Assert.Contains(expected, OrchestEventTypes.All);
    }

    [Fact]
    public void Of_AnEngineTypeWithoutAPublicName_GetsOneRatherThanStallingTheProjection()
    {
        Assert.Equal("project:pipeline:interactive-session:pipeline-run:step:paused-for-review",
            OrchestEventTypes.Of(new RunEvent("step.paused_for_review", "r", "s", T0, ExecutionStatus.Pending), Run()));
    }

    [Theory]
    [InlineData("*", "project:cron-job:run:pipeline-run:failed", true)]
    [InlineData("*:pipeline-run:failed", "project:cron-job:run:pipeline-run:failed", true)]
    [InlineData("*:pipeline-run:failed", "project:cron-job:run:pipeline-run:step:failed", false)]
    [InlineData("project:cron-job:*", "project:cron-job:paused", true)]
    [InlineData("project:cron-job:*", "project:one-off-job:created", false)]
    [InlineData("*:step:*", "project:pipeline:interactive-session:pipeline-run:step:started", true)]
    [InlineData("PROJECT:*:FAILED", "project:one-off-job:failed", true)]
    [InlineData("project:one-off-job:created", "project:one-off-job:created", true)]
    [InlineData("project:one-off-job:created", "project:one-off-job:created:x", false)]
    [InlineData("*a*b*c", "xaxxbxxcc", true)]
    public void Matches_Globs_StarIsAnyRunOfCharacters(string pattern, string type, bool expected) =>
        Assert.Equal(expected, EventTypePattern.Matches(pattern, type));

    [Theory]
    [InlineData("*:pipeline-run:failed", null)]
    [InlineData("project:cron-job:*", null)]
    [InlineData("foo:*", "event type pattern \"foo:*\" matches no event type")]
    [InlineData("", "an event type pattern is empty")]
    [InlineData("project/cron", "may only have letters, digits")]
    public void Problem_PatternsThatMatchNothingOrAreMalformed_SayWhy(string pattern, string? problem)
    {
        var found = EventTypePattern.Problem(pattern);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FromRun_StepAndRunFailedEvents_CarryTheRunsContextAndOnlyRunFailedCarriesFailedSteps()
    {
        var run = Run() with { Commit = "abc123", JobId = "job-1", JobKind = "cron" };
        var failed = new FailedStep("s1", "Train", 2, 3, "exit code 3", "loss went NaN");

        var step = OrchestEvent.FromRun(new RunEvent(RunEventTypes.StepFailed, run.Id, "s1", T0, ExecutionStatus.Failure, 2, "exit code 3", 7), run, "Train", [failed]);
        var end = OrchestEvent.FromRun(new RunEvent(RunEventTypes.RunFailed, run.Id, null, T0, ExecutionStatus.Failure, Sequence: 9), run, null, [failed]);

        Assert.Equal(("run-1-000007", "project:cron-job:run:pipeline-run:step:failed", "step.failed"), (step.Id, step.Type, step.Kind));
        Assert.Equal(("p", "pipe", "main.orchest", "main", "job-1", "cron", "abc123"), (step.Project, step.Pipeline, step.PipelinePath, step.PipelineName, step.Job, step.JobKind, step.Commit));
        Assert.Equal(("s1", "Train", "FAILURE", 2, 7L), (step.Step, step.StepTitle, step.Status, step.Attempt, step.Sequence));
        Assert.Null(step.FailedSteps);
        Assert.Equal([failed], end.FailedSteps);
        Assert.Null(end.StepTitle);
    }

    [Fact]
    public void Json_OfAnEvent_IsSnakeCaseWithEveryFieldAndRoundTrips()
    {
        var e = OrchestEvent.FromRun(new RunEvent(RunEventTypes.RunStarted, "run-1", null, T0, ExecutionStatus.Started, Sequence: 1), Run(), null);

        var json = OrchestEventJson.Serialize(e);

        Assert.Contains("\"pipeline_path\":\"main.orchest\"", json, StringComparison.Ordinal);
        Assert.Contains("\"failed_steps\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"job\":null", json, StringComparison.Ordinal);
        Assert.Equal(e with { FailedSteps = null }, OrchestEventJson.Deserialize(json));
    }

    [Fact]
    public void JobEvents_ToPublic_KnowTheirKindAndRefuseRunTypes()
    {
        var paused = JobEventPublisher.ToPublic(new JobEvent("job-1-paused-1", OrchestEventTypes.Jobs.CronPaused, T0, "p", "job-1", "PAUSED"));
        var tick = JobEventPublisher.ToPublic(new JobEvent("job-1-t1-failed", OrchestEventTypes.Jobs.CronRunFailed, T0, "p", "job-1", Run: "run-9"));

        Assert.Equal(("job.paused", "cron", "PAUSED"), (paused.Kind, paused.JobKind, paused.Status));
        Assert.Equal(("job.run.failed", "run-9"), (tick.Kind, tick.Run));
        Assert.Equal("one-off", JobEventPublisher.ToPublic(new JobEvent("j", OrchestEventTypes.Jobs.OneOffCreated, T0, "p", "j")).JobKind);
        Assert.Throws<ArgumentException>(() => JobEventPublisher.ToPublic(new JobEvent("x", "project:cron-job:run:pipeline-run:failed", T0, "p", "j")));
    }

    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static RunRecord Run() => TestRunRecords.Minimal(T0, "interactive");
}
