using Orchest.Engine.Events;
using Orchest.Engine.Jobs;
using Orchest.Engine.Runs;
using Orchest.Pipelines;

namespace Orchest.Engine.Tests.Events;

public sealed class JobTransitionEventsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 7, 0, 0, TimeSpan.Zero);

    private static JobDefinition Job(string? cron) => new()
    {
        Id = "job-1",
        ProjectId = "p",
        Name = "nightly",
        PipelinePath = "etl.orchest",
        Schedule = new JobSchedule { Cron = cron },
        Created = T0,
    };

    private static JobProgress Progress(JobStatus from, JobStatus to, DateTimeOffset at, JobTick? tick = null, string? message = null) =>
        new("job-1", new JobState { Status = to, Updated = at, Message = message }, from, tick);

    [Fact]
    public void Of_TheSameProgressRecordedTwice_TheSameEventsWithTheSameIdsAndTimes()
    {
        var tick = new JobTick { Sequence = 3, Key = "at:x", Kind = JobTickKind.Scheduled, ScheduledFor = T0, Started = T0.AddSeconds(1), RunIds = ["r1", "r2"] };
        var progress = Progress(JobStatus.Paused, JobStatus.Started, T0.AddSeconds(2), tick);

        var first = JobTransitionEvents.Of(Job("* * * * *"), progress);
        var again = JobTransitionEvents.Of(Job("* * * * *"), progress with { State = progress.State with { } });

        Assert.Equal(first, again);
        Assert.Equal(
            [("job-1-unpaused-20261205T0700020000000Z", "project:cron-job:unpaused"), ("job-1-tick-3-started", "project:cron-job:run:started")],
            first.Select(e => (e.Id, e.Type)));
        Assert.All(first, e => Assert.Equal((T0.AddSeconds(2), "p", "job-1", "etl.orchest"), (e.Time, e.ProjectId, e.JobId, e.PipelinePath)));
        Assert.Equal("r1", first[1].Run);
    }

    [Theory]
    [InlineData(null, JobStatus.Pending, JobStatus.Started, "job-1-started", "project:one-off-job:started")]
    [InlineData(null, JobStatus.Started, JobStatus.Failure, "job-1-failed", "project:one-off-job:failed")]
    [InlineData(null, JobStatus.Started, JobStatus.Success, "job-1-succeeded", "project:one-off-job:succeeded")]
    [InlineData(null, JobStatus.Draft, JobStatus.Aborted, "job-1-cancelled", "project:one-off-job:cancelled")]
    [InlineData("* * * * *", JobStatus.Draft, JobStatus.Started, "job-1-started", "project:cron-job:started")]
    [InlineData("* * * * *", JobStatus.Paused, JobStatus.Aborted, "job-1-cancelled", "project:cron-job:cancelled")]
    public void Of_AStatusReachedOncePerJob_IdIsTheJobAndTheVerb(string? cron, JobStatus from, JobStatus to, string id, string type)
    {
        var jobEvent = Assert.Single(JobTransitionEvents.Of(Job(cron), Progress(from, to, T0, message: "why")));

        Assert.Equal((id, type, to.ToWire(), "why"), (jobEvent.Id, jobEvent.Type, jobEvent.Status, jobEvent.Message));
        Assert.Equal(id, Assert.Single(JobTransitionEvents.Of(Job(cron), Progress(from, to, T0.AddMinutes(5)))).Id);
    }

    [Fact]
    public void Of_PausedTwiceAtDifferentTimes_TwoEvents()
    {
        var first = Assert.Single(JobTransitionEvents.Of(Job("* * * * *"), Progress(JobStatus.Started, JobStatus.Paused, T0)));
        var second = Assert.Single(JobTransitionEvents.Of(Job("* * * * *"), Progress(JobStatus.Started, JobStatus.Paused, T0.AddMinutes(1))));

        Assert.Equal("project:cron-job:paused", first.Type);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void Of_NoTransitionNoTickOrPendingOrSkipped_NoEvent()
    {
        var skipped = new JobTick { Sequence = 2, Key = "skipped:x", Kind = JobTickKind.Skipped, ScheduledFor = T0, Started = T0, Skipped = 4 };

        Assert.Empty(JobTransitionEvents.Of(Job("* * * * *"), Progress(JobStatus.Started, JobStatus.Started, T0)));
        Assert.Empty(JobTransitionEvents.Of(Job(null), Progress(JobStatus.Draft, JobStatus.Pending, T0)));
        Assert.Empty(JobTransitionEvents.Of(Job("* * * * *"), Progress(JobStatus.Started, JobStatus.Started, T0, skipped)));
    }

    [Fact]
    public void Of_ACronTickThatStartedNoRuns_TickFailedWithItsProblems()
    {
        var tick = new JobTick { Sequence = 7, Key = "at:x", Kind = JobTickKind.Scheduled, ScheduledFor = T0, Started = T0, Problems = ["Branch main is gone."] };

        var jobEvent = Assert.Single(JobTransitionEvents.Of(Job("* * * * *"), Progress(JobStatus.Started, JobStatus.Started, T0, tick)));

        Assert.Equal(("job-1-tick-7-failed", "project:cron-job:run:failed", "FAILURE"), (jobEvent.Id, jobEvent.Type, jobEvent.Status));
        Assert.Contains("Branch main is gone.", jobEvent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OfCreatedAndOfUpdated_IdsFromTheJobAndRevision()
    {
        var created = JobTransitionEvents.OfCreated(Job("* * * * *"), new JobState { Status = JobStatus.Started, Updated = T0 });
        var draft = JobTransitionEvents.OfCreated(Job(null), new JobState { Status = JobStatus.Draft, Updated = T0 });
        var updated = JobTransitionEvents.OfUpdated(Job("* * * * *") with { Revision = 3, Updated = T0.AddHours(1) }, JobStatus.Paused);

        Assert.Equal([("job-1-created", "project:cron-job:created"), ("job-1-started", "project:cron-job:started")], created.Select(e => (e.Id, e.Type)));
        Assert.Equal(("job-1-created", "project:one-off-job:created", "DRAFT"), (Assert.Single(draft).Id, draft[0].Type, draft[0].Status));
        Assert.Equal(("job-1-updated-3", "project:cron-job:updated", T0.AddHours(1)), (updated.Id, updated.Type, updated.Time));
        Assert.All(created.Append(updated), e => Assert.Contains(e.Type, OrchestEventTypes.Jobs.All));
    }

    [Fact]
    public void OfTickEnded_OneRunFailed_TickFailedAtTheLastEndNamingTheFailedRuns_TheSameWhicheverRunRaisesIt()
    {
        var tick = new JobTick { Sequence = 4, Key = "at:x", Kind = JobTickKind.Scheduled, ScheduledFor = T0, Started = T0, RunIds = ["r1", "r2", "r3"] };
        var runs = new[] { Ended("r1", ExecutionStatus.Success, 5), Ended("r2", ExecutionStatus.Failure, 9), Ended("r3", ExecutionStatus.Aborted, 7) };

        var first = JobTransitionEvents.OfTickEnded(Job("* * * * *"), tick, runs);
        var again = JobTransitionEvents.OfTickEnded(Job("* * * * *"), tick, [.. runs.Reverse()]);

        Assert.NotNull(first);
        Assert.Equal(
            ("job-1-tick-4-failed", "project:cron-job:run:failed", "FAILURE", T0.AddSeconds(9), "r2"),
            (first.Id, first.Type, first.Status, first.Time, first.Run));
        Assert.Equal("Tick 4 ended: 1 succeeded, 1 failed, 1 cancelled (failed: r2).", first.Message);
        Assert.Equal((first.Id, first.Time, first.Type), (again!.Id, again.Time, again.Type));
    }

    [Fact]
    public void OfTickEnded_NoRunFailed_TickSucceeded_EveryRunCancelled_NoEvent()
    {
        var tick = new JobTick { Sequence = 2, Key = "at:x", Kind = JobTickKind.Scheduled, ScheduledFor = T0, Started = T0, RunIds = ["r1", "r2"] };

        var succeeded = JobTransitionEvents.OfTickEnded(Job("* * * * *"), tick, [Ended("r1", ExecutionStatus.Success, 3), Ended("r2", ExecutionStatus.Aborted, 4)]);
        var cancelled = JobTransitionEvents.OfTickEnded(Job("* * * * *"), tick, [Ended("r1", ExecutionStatus.Aborted, 3), Ended("r2", ExecutionStatus.Aborted, 4)]);

        Assert.Equal(("job-1-tick-2-succeeded", "project:cron-job:run:succeeded", "SUCCESS", T0.AddSeconds(4)), (succeeded!.Id, succeeded.Type, succeeded.Status, succeeded.Time));
        Assert.Equal("Tick 2 ended: 1 succeeded, 0 failed, 1 cancelled.", succeeded.Message);
        Assert.Null(cancelled);
    }

    private static RunRecord Ended(string id, ExecutionStatus status, int second) => new()
    {
        Id = id,
        ProjectId = "p",
        PipelinePath = "etl.orchest",
        PipelineUuid = "u",
        PipelineName = "etl",
        RunType = RunType.Full,
        SessionType = "noninteractive",
        MaxStepsParallelism = 1,
        FailurePolicy = FailurePolicy.FailFast,
        Created = T0,
        Status = status,
        Finished = T0.AddSeconds(second),
        JobId = "job-1",
        JobTick = 2,
        JobKind = OrchestEventTypes.CronJob,
    };
}
