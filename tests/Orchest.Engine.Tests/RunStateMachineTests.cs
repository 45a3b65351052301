using System.Text.Json.Nodes;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;
using Orchest.Testing;
using static Orchest.Engine.Tests.TestRuns;

namespace Orchest.Engine.Tests;

public class RunStateMachineTests
{
    private static PipelineBuilder Diamond() => new PipelineBuilder()
        .Shell("A").Shell("B", "A").Shell("C", "A").Shell("D", "B", "C").Shell("E");

    [Fact]
    public void Start_PendingRun_StartsRunAndDispatchesOnlyRoots()
    {
        var b = Diamond();
        var result = RunStateMachine.Start(Plan(b), T0);

        var (after, t) = Apply(Plan(b), result);
        Assert.Equal(ExecutionStatus.Started, after.Run.Status);
        Assert.Equal(T0, after.Run.Started);
        Assert.Equal(["A", "E"], Enqueued(t, b, "A", "B", "C", "D", "E"));
        Assert.All(t.ToEnqueue, w => Assert.Equal(1, w.Item.Attempt));
    }

    [Fact]
    public void Complete_LastParentSucceeds_DispatchesChildOnce()
    {
        var b = Diamond();
        var s = Start(Plan(b));
        s = Claim(s, b, "A");
        (s, var afterA) = Finish(s, b, "A");
        Assert.Equal(["B", "C"], Enqueued(afterA, b, "B", "C", "D"));

        s = Claim(Claim(s, b, "B"), b, "C");
        (s, var afterB) = Finish(s, b, "B");
        Assert.Empty(Enqueued(afterB, b, "D"));
        (s, var afterC) = Finish(s, b, "C");
        Assert.Equal(["D"], Enqueued(afterC, b, "D"));
        Assert.Equal(ExecutionStatus.Success, Status(s, b, "A"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Complete_FanOutParentsInAnyOrder_DispatchesJoinOnceAfterTheLastAndThenEndsTheRun(bool lastFirst)
    {
        // The join's parents are looked at last-first and only the finished step's children are
        // candidates: the join must still wait for every parent, whichever finishes last.
        var parents = Enumerable.Range(1, 30).Select(i => $"P{i:00}").ToArray();
        var b = new PipelineBuilder().Shell("Root");
        foreach (var parent in parents)
        {
            b.Shell(parent, "Root");
        }

        b.Shell("Join", parents);
        var s = Start(Plan(b));
        (s, var afterRoot) = Finish(Claim(s, b, "Root"), b, "Root");
        Assert.Equal(parents, Enqueued(afterRoot, b, [.. parents, "Join"]));

        var order = lastFirst ? parents.Reverse().ToArray() : parents;
        foreach (var parent in order)
        {
            (s, var t) = Finish(Claim(s, b, parent), b, parent);
            Assert.Equal(parent == order[^1] ? ["Join"] : [], Enqueued(t, b, "Join"));
            Assert.Equal(ExecutionStatus.Started, s.Run.Status);
        }

        (s, _) = Finish(Claim(s, b, "Join"), b, "Join");
        Assert.Equal(ExecutionStatus.Success, s.Run.Status);
    }

    [Fact]
    public void Claim_DuplicateMessage_IsRejected()
    {
        var b = Diamond();
        var s = Claim(Start(Plan(b)), b, "A");
        var again = RunStateMachine.Begin(s, new StepWorkItem("run-1", b.StepUuid("A"), 1), "w2", T0, T0);
        Assert.True(again.IsRejected);
    }

    [Fact]
    public void Complete_ByWorkerThatLostTheStep_IsRejected()
    {
        var b = Diamond();
        var s = Claim(Start(Plan(b)), b, "A", owner: "w1");
        var late = RunStateMachine.Complete(s, new StepWorkItem("run-1", b.StepUuid("A"), 1), "w2", StepOutcome.Succeeded("x"), T0);
        Assert.True(late.IsRejected);
    }

    [Fact]
    public void Complete_FailureWithFailFast_AbortsEveryUnfinishedStepAndStopsRunningOnes()
    {
        var b = Diamond();
        var s = Claim(Claim(Start(Plan(b)), b, "A"), b, "E");
        var (after, t) = Finish(s, b, "A", success: false);

        Assert.Equal(ExecutionStatus.Failure, Status(after, b, "A"));
        Assert.All(new[] { "B", "C", "D", "E" }, title => Assert.Equal(ExecutionStatus.Aborted, Status(after, b, title)));
        Assert.Equal([b.StepUuid("E")], t.ToStop);
        Assert.Equal(ExecutionStatus.Failure, after.Run.Status);
        Assert.NotNull(after.Run.Finished);
        Assert.All(after.Steps, step => Assert.NotNull(step.Finished));
        Assert.Empty(t.ToEnqueue);
    }

    [Fact]
    public void Complete_FailureWithContinuePolicy_AbortsOnlyDescendants()
    {
        var b = Diamond().Setting("failure_policy", "continue");
        var s = Claim(Claim(Start(Plan(b)), b, "A"), b, "E");
        s = Claim(Claim(Finish(s, b, "A").After, b, "B"), b, "C");
        var (after, t) = Finish(s, b, "B", success: false);

        Assert.Equal(ExecutionStatus.Aborted, Status(after, b, "D"));
        Assert.Equal(ExecutionStatus.Started, Status(after, b, "C"));
        Assert.Equal(ExecutionStatus.Started, Status(after, b, "E"));
        Assert.Empty(t.ToStop);
        Assert.Equal(ExecutionStatus.Started, after.Run.Status);

        after = Finish(Finish(after, b, "C").After, b, "E").After;
        Assert.Equal(ExecutionStatus.Failure, after.Run.Status);
    }

    [Fact]
    public void Complete_FailureWithRetriesLeft_RedispatchesNextAttemptAfterBackoff()
    {
        var b = new PipelineBuilder().Shell("A")
            .Setting("retry", new JsonObject { ["max_attempts"] = 3, ["backoff_seconds"] = 2 });
        var s = Claim(Start(Plan(b)), b, "A");
        var (after, t) = Finish(s, b, "A", success: false);

        var step = after.GetStep(b.StepUuid("A"));
        Assert.Equal(ExecutionStatus.Pending, step.Status);
        Assert.Equal(2, step.Attempt);
        var work = Assert.Single(t.ToEnqueue);
        Assert.Equal(2, work.Item.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(2), work.Delay);
        Assert.Contains(t.Events, e => e.Type == RunEventTypes.StepRetrying);

        s = Claim(after, b, "A");
        (after, t) = Finish(s, b, "A", success: false);
        Assert.Equal(TimeSpan.FromSeconds(4), Assert.Single(t.ToEnqueue).Delay);
        (after, _) = Finish(Claim(after, b, "A"), b, "A", success: false);
        Assert.Equal(ExecutionStatus.Failure, Status(after, b, "A"));
        Assert.Equal(3, after.GetStep(b.StepUuid("A")).Attempt);
    }

    [Fact]
    public void Start_MaxStepsParallelism_DispatchesAtMostTheLimit()
    {
        var b = new PipelineBuilder().Shell("A").Shell("B").Shell("C").Shell("D").Setting("max_steps_parallelism", 2);
        var (s, t) = Apply(Plan(b), RunStateMachine.Start(Plan(b), T0));
        Assert.Equal(2, t.ToEnqueue.Count);

        s = Claim(s, b, "A");
        (_, t) = Finish(s, b, "A");
        Assert.Single(t.ToEnqueue);
    }

    [Fact]
    public void Cancel_RunningRun_AbortsEverythingWithFinishTimes()
    {
        var b = Diamond();
        var s = Claim(Start(Plan(b)), b, "A");
        var (after, t) = Apply(s, RunStateMachine.Cancel(s, T0.AddSeconds(3)));

        Assert.Equal(ExecutionStatus.Aborted, after.Run.Status);
        Assert.Equal(T0.AddSeconds(3), after.Run.Finished);
        Assert.All(after.Steps, step => Assert.Equal(ExecutionStatus.Aborted, step.Status));
        Assert.Equal([b.StepUuid("A")], t.ToStop);
        Assert.True(RunStateMachine.Cancel(after, T0).IsRejected);
    }

    [Fact]
    public void Complete_AfterCancel_IsRejectedAndTerminalStatesNeverChange()
    {
        var b = Diamond();
        var s = Claim(Start(Plan(b)), b, "A");
        var (cancelled, _) = Apply(s, RunStateMachine.Cancel(s, T0));
        var late = RunStateMachine.Complete(cancelled, new StepWorkItem("run-1", b.StepUuid("A"), 1), "w1", StepOutcome.Succeeded("x"), T0);
        Assert.True(late.IsRejected);
    }

    [Fact]
    public void Report_DispatchedAttemptSucceeded_RecordsHostStartAndOutcomeInOneTransition()
    {
        var b = new PipelineBuilder().Shell("A").Shell("B", "A");
        var s = Start(Plan(b));
        var (after, t) = Apply(s, Report(s, b, "A", StepOutcome.Succeeded("run-1-1")));

        var a = after.GetStep(b.StepUuid("A"));
        Assert.Equal((ExecutionStatus.Success, "h1", T0.AddSeconds(1), T0.AddSeconds(4)), (a.Status, a.Owner ?? "h1", a.Started!.Value, a.Finished!.Value));
        Assert.Equal([RunEventTypes.StepStarted, RunEventTypes.StepSucceeded], t.Events.Select(e => e.Type));
        Assert.Equal(T0.AddSeconds(1), t.Events[0].Timestamp);
        Assert.Equal(["B"], Enqueued(t, b, "B"));
    }

    [Fact]
    public void Report_RanAsLaterAttempt_CountsTheLostExecutionsAndKeepsItsAttemptNumber()
    {
        var b = new PipelineBuilder().Shell("A");
        var s = Start(Plan(b));
        var (after, t) = Apply(s, Report(s, b, "A", StepOutcome.Succeeded("run-1-3"), ranAs: 3));

        var a = after.GetStep(b.StepUuid("A"));
        Assert.Equal((3, 2, "run-1-3"), (a.Attempt, a.LostAttempts, a.OutputSet));
        Assert.Equal(3, t.Events.First(e => e.Type == RunEventTypes.StepSucceeded).Attempt);
        Assert.Equal(ExecutionStatus.Success, after.Run.Status);
    }

    [Fact]
    public void Report_HostStopped_RedispatchesNextAttemptThenFailsAfterLimit()
    {
        var b = new PipelineBuilder().Shell("A");
        var s = Start(Plan(b));
        for (var lost = 1; lost < RunStateMachine.MaxLostAttempts; lost++)
        {
            var (after, t) = Apply(s, Report(s, b, "A", StepOutcome.Stopped("host stopping"), hostStopped: true));
            Assert.Equal(lost + 1, Assert.Single(t.ToEnqueue).Item.Attempt);
            Assert.Contains(t.Events, e => e.Type == RunEventTypes.StepWorkerLost);
            s = after;
        }

        var (final, _) = Apply(s, Report(s, b, "A", StepOutcome.Stopped("host stopping"), hostStopped: true));
        Assert.Equal(ExecutionStatus.Failure, Status(final, b, "A"));
        Assert.Contains("gave up", final.GetStep(b.StepUuid("A")).Message, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Failure, final.Run.Status);
    }

    [Fact]
    public void Report_StepStoppedBeforeTheRunHeardOfItsCancel_TheRunIsCancelled_NothingLeftPending()
    {
        var b = Diamond();
        var s = Start(Plan(b));

        var (after, t) = Apply(s, Report(s, b, "A", StepOutcome.Stopped("the run is ending")));

        Assert.Equal((ExecutionStatus.Aborted, true), (after.Run.Status, after.Run.CancelRequested));
        Assert.All(after.Steps, step => Assert.Equal(ExecutionStatus.Aborted, step.Status));
        Assert.Empty(t.ToEnqueue);
        Assert.Equal([RunEventTypes.StepStarted, RunEventTypes.StepAborted, RunEventTypes.RunCancelRequested],
            t.Events.Select(e => e.Type).Take(3));
        Assert.Contains("was stopped for the cancel before the cancel reached the run", t.Events[^1].Message, StringComparison.Ordinal);
        Assert.Equal(RunEventTypes.RunAborted, t.Events[^1].Type);
        Assert.True(RunStateMachine.Cancel(after, T0).IsRejected);
    }

    [Fact]
    public void Report_AfterCancel_IsRejected()
    {
        var b = new PipelineBuilder().Shell("A");
        var s = Start(Plan(b));
        var (cancelled, _) = Apply(s, RunStateMachine.Cancel(s, T0));
        Assert.True(Report(cancelled, b, "A", StepOutcome.Succeeded("run-1-1")).IsRejected);
    }

    [Fact]
    public void Report_ForAnAttemptNoLongerDispatched_IsRejected()
    {
        var b = new PipelineBuilder().Shell("A");
        var s = Start(Plan(b));
        var (after, _) = Apply(s, Report(s, b, "A", StepOutcome.Succeeded("run-1-1")));
        Assert.True(RunStateMachine.Report(after, new StepWorkItem("run-1", b.StepUuid("A"), 1),
            new StepReport(1, "h2", T0, T0, StepOutcome.Succeeded("run-1-1")), T0).IsRejected);
    }

    [Fact]
    public void Report_FailureWithRetryPolicy_LostExecutionsDoNotUseUpRetries()
    {
        var b = new PipelineBuilder().Shell("A");
        var planned = Plan(b);
        var retried = planned.Steps.Select(x => x with { Retry = new Orchest.Pipelines.RetryPolicy(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)) }).ToList();
        var s = Start(new RunSnapshot(planned.Run, retried));

        // Attempt 1 was lost with its host; attempt 2 fails: one retry is still left.
        var (after, t) = Apply(s, Report(s, b, "A", StepOutcome.Failed(1, "exited with code 1"), ranAs: 2));
        var work = Assert.Single(t.ToEnqueue);
        Assert.Equal((3, TimeSpan.FromSeconds(1)), (work.Item.Attempt, work.Delay));
        Assert.Equal(ExecutionStatus.Pending, Status(after, b, "A"));
    }

    [Fact]
    public void Events_AreNumberedDenselyAcrossTransitions()
    {
        var b = new PipelineBuilder().Shell("A").Shell("B", "A");
        var plan = Plan(b);
        var (s, start) = Apply(plan, RunStateMachine.Start(plan, T0));
        var (s2, a) = Apply(s, Report(s, b, "A", StepOutcome.Succeeded("run-1-1")));
        var (_, bDone) = Apply(s2, Report(s2, b, "B", StepOutcome.Succeeded("run-1-1")));

        var sequences = start.Events.Concat(a.Events).Concat(bDone.Events).Select(e => e.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        Assert.Equal(sequences.Count + 1, bDone.Run.EventCount);
        Assert.Equal("run-1-000001", start.Events[0].Id);
    }

    [Fact]
    public void Complete_AllSucceeded_RunSucceedsWithTimestamps()
    {
        var b = new PipelineBuilder().Shell("A").Shell("B", "A");
        var s = Start(Plan(b));
        s = Finish(Claim(s, b, "A"), b, "A").After;
        var (after, t) = Finish(Claim(s, b, "B"), b, "B");

        Assert.Equal(ExecutionStatus.Success, after.Run.Status);
        Assert.Contains(t.Events, e => e.Type == RunEventTypes.RunSucceeded);
        Assert.Equal("run-1-1", after.GetStep(b.StepUuid("A")).OutputSet);
        Assert.All(after.Steps, step => Assert.True(step.Started <= step.Finished));
    }

    [Fact]
    public void Fault_RunningRun_AbortsUnfinishedStepsAndFailsTheRunWithTheReason()
    {
        var b = new PipelineBuilder().Shell("A").Shell("B", "A");
        var s = Start(Plan(b));
        var (done, _) = Apply(s, Report(s, b, "A", StepOutcome.Succeeded("run-1-1")));

        var (after, t) = Apply(done, RunStateMachine.Fault(done, T0.AddSeconds(9), "the run's orchestration failed: boom"));

        Assert.Equal((ExecutionStatus.Failure, T0.AddSeconds(9)), (after.Run.Status, after.Run.Finished!.Value));
        Assert.Equal((ExecutionStatus.Success, ExecutionStatus.Aborted), (Status(after, b, "A"), Status(after, b, "B")));
        Assert.Equal("the run's orchestration failed: boom", t.Events[^1].Message);
        Assert.True(RunStateMachine.Fault(after, T0, "again").IsRejected);
    }
}
