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

    [Fact]
    public void Claim_DuplicateMessage_IsRejected()
    {
        var b = Diamond();
        var s = Claim(Start(Plan(b)), b, "A");
        var again = RunStateMachine.Claim(s, new StepWorkItem("run-1", b.StepUuid("A"), 1), "w2", T0.AddMinutes(1), T0);
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
    public void ExpireLease_DeadWorker_RedispatchesNextAttemptThenFailsAfterLimit()
    {
        var b = new PipelineBuilder().Shell("A");
        var s = Claim(Start(Plan(b)), b, "A");
        Assert.True(RunStateMachine.ExpireLease(s, b.StepUuid("A"), T0).IsRejected);

        for (var lost = 1; lost < RunStateMachine.MaxLostAttempts; lost++)
        {
            var (after, t) = Apply(s, RunStateMachine.ExpireLease(s, b.StepUuid("A"), T0.AddMinutes(2)));
            Assert.Equal(lost + 1, Assert.Single(t.ToEnqueue).Item.Attempt);
            s = Claim(after, b, "A", owner: $"w{lost + 1}");
        }

        var (final, _) = Apply(s, RunStateMachine.ExpireLease(s, b.StepUuid("A"), T0.AddMinutes(2)));
        Assert.Equal(ExecutionStatus.Failure, Status(final, b, "A"));
        Assert.Equal(ExecutionStatus.Failure, final.Run.Status);
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
    public void Reconcile_DispatchedStepNeverClaimed_IsEnqueuedAgain()
    {
        var b = Diamond();
        var s = Start(Plan(b));
        Assert.True(RunStateMachine.Reconcile(s, T0.AddSeconds(5), TimeSpan.FromSeconds(30)).IsRejected);

        var (_, t) = Apply(s, RunStateMachine.Reconcile(s, T0.AddMinutes(1), TimeSpan.FromSeconds(30)));
        Assert.Equal(["A", "E"], Enqueued(t, b, "A", "B", "C", "D", "E"));
        Assert.All(t.ToEnqueue, w => Assert.Equal(1, w.Item.Attempt));
    }

    [Fact]
    public void Reconcile_ExpiredLease_RedispatchesANewAttempt()
    {
        var b = new PipelineBuilder().Shell("A");
        var s = Claim(Start(Plan(b)), b, "A");
        var (after, t) = Apply(s, RunStateMachine.Reconcile(s, T0.AddMinutes(5), TimeSpan.FromSeconds(30)));

        Assert.Equal(2, after.GetStep(b.StepUuid("A")).Attempt);
        Assert.Equal(2, Assert.Single(t.ToEnqueue).Item.Attempt);
        Assert.Contains(t.Events, e => e.Type == RunEventTypes.StepWorkerLost);
    }

    [Fact]
    public void Reconcile_RunCreatedButNeverStarted_StartsIt()
    {
        var b = new PipelineBuilder().Shell("A");
        var (after, t) = Apply(Plan(b), RunStateMachine.Reconcile(Plan(b), T0.AddMinutes(5), TimeSpan.FromSeconds(30)));

        Assert.Equal(ExecutionStatus.Started, after.Run.Status);
        Assert.Single(t.ToEnqueue);
    }
}
