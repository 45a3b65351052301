using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;
using Orchest.Pipelines;
using Orchest.Testing;

namespace Orchest.Durable.Tests;

public sealed class ProgressBufferTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Take_FirstProgress_CarriesEveryStepInGraphOrderAndTheCreationEvent()
    {
        var (builder, run) = Plan();
        var buffer = new ProgressBuffer();
        var start = RunStateMachine.Start(run, T0).Transition!;
        buffer.Add(start);

        var progress = buffer.Take(start.After(), final: false);

        Assert.Equal(1, progress.Sequence);
        Assert.Equal(["A", "B", "C"], progress.Steps.Select(s => s.Step.Title));
        Assert.Equal([0, 1, 2], progress.Steps.Select(s => s.Order));
        Assert.Equal([RunEventTypes.RunCreated, RunEventTypes.RunStarted], progress.Events.Select(e => e.Type));
        Assert.Equal([0L, 1L], progress.Events.Select(e => e.Sequence));
        Assert.True(buffer.IsEmpty);
        Assert.Equal(builder.StepUuid("A"), progress.Steps[0].Step.Uuid);
    }

    [Fact]
    public void Take_StepChangedTwice_SentOnceWithItsLatestStateAndEveryEventInOrderAndItsCommit()
    {
        var (builder, run) = Plan();
        var buffer = new ProgressBuffer();
        var start = RunStateMachine.Start(run, T0).Transition!;
        buffer.Add(start);
        run = start.After();
        buffer.Take(run, final: false);

        var a = builder.StepUuid("A");
        run = Succeed(buffer, run, a, "run-1-1", T0);
        var progress = buffer.Take(run, final: false);

        Assert.Equal(2, progress.Sequence);
        Assert.Equal(["A", "B"], progress.Steps.Select(s => s.Step.Title));
        Assert.Equal(ExecutionStatus.Success, progress.Steps[0].Step.Status);
        Assert.Equal([RunEventTypes.StepStarted, RunEventTypes.StepSucceeded], progress.Events.Select(e => e.Type));
        Assert.Equal(new StepCommit(a, "run-1-1"), Assert.Single(progress.Commits));
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Take_Next_CarriesThePreviousProgressAgainWithDigestsAndTheFinalEveryCommit()
    {
        var (builder, run) = Plan();
        var buffer = new ProgressBuffer();
        var twin = new ProgressBuffer();
        var start = RunStateMachine.Start(run, T0).Transition!;
        buffer.Add(start);
        twin.Add(start);
        run = start.After();
        var first = buffer.Take(run, final: false);
        var twinFirst = twin.Take(run, final: false);

        var a = builder.StepUuid("A");
        run = Succeed(buffer, run, a, "run-1-a", T0);
        var second = buffer.Take(run, final: false);

        var b = builder.StepUuid("B");
        run = Succeed(buffer, run, b, "run-1-b", T0.AddSeconds(2));
        var third = buffer.Take(run, final: false);
        var final = buffer.Take(run, final: true);

        // The same decisions give the same digest (any host), other decisions another one.
        Assert.NotNull(first.Digest);
        Assert.Equal(first.Digest, twinFirst.Digest);
        Assert.Equal(3, new[] { first.Digest, second.Digest, third.Digest }.Distinct().Count());

        // Each progress carries the one before it as it was sent, without that one's own previous.
        Assert.Null(first.Previous);
        Assert.Equal(first, second.Previous);
        Assert.Equal(second with { Previous = null }, third.Previous);
        Assert.Null(third.Previous!.Previous);
        Assert.Equal(new StepCommit(b, "run-1-b"), Assert.Single(third.Commits));
        Assert.Null(third.AllCommits);
        Assert.Empty(final.Commits);
        Assert.Equal([new StepCommit(a, "run-1-a"), new StepCommit(b, "run-1-b")], final.AllCommits);
    }

    [Fact]
    public void Take_Final_CarriesEveryStepEvenUnchangedOnes()
    {
        var (_, run) = Plan();
        var buffer = new ProgressBuffer();
        var start = RunStateMachine.Start(run, T0).Transition!;
        buffer.Add(start);
        run = start.After();
        buffer.Take(run, final: false);

        var cancel = RunStateMachine.Cancel(run, T0.AddSeconds(1)).Transition!;
        buffer.Add(cancel);
        var final = buffer.Take(cancel.After(), final: true);
        var unchanged = buffer.Take(cancel.After(), final: true);

        Assert.True(final.Final);
        Assert.Equal(["A", "B", "C"], final.Steps.Select(s => s.Step.Title));
        Assert.All(final.Steps, s => Assert.Equal(ExecutionStatus.Aborted, s.Step.Status));
        Assert.Equal(["A", "B", "C"], unchanged.Steps.Select(s => s.Step.Title));
        Assert.Empty(unchanged.Events);
    }

    [Fact]
    public void FireAt_DelaysRoundedUpToWholeSecondsPlusOne()
    {
        var now = new DateTime(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc);

        Assert.Equal(now.AddSeconds(2), DurableDelay.FireAt(now, TimeSpan.FromSeconds(1)));
        Assert.Equal(now.AddSeconds(3), DurableDelay.FireAt(now, TimeSpan.FromSeconds(1.2)));
        Assert.Equal(now.AddSeconds(1), DurableDelay.FireAt(now, TimeSpan.Zero));
    }

    /// <summary>Step <paramref name="uuid"/>'s first attempt succeeds with <paramref name="outputSet"/> (started at <paramref name="at"/>, reported 2 s later), folded into <paramref name="buffer"/>.</summary>
    private static RunSnapshot Succeed(ProgressBuffer buffer, RunSnapshot run, string uuid, string outputSet, DateTimeOffset at)
    {
        var report = new StepReport(1, "h1", at, at.AddSeconds(1), StepOutcome.Succeeded(outputSet));
        var done = RunStateMachine.Report(run, new StepWorkItem("run-1", uuid, 1), report, at.AddSeconds(2)).Transition!;
        buffer.Add(done);
        return done.After();
    }

    private static (PipelineBuilder Builder, RunSnapshot Run) Plan()
    {
        var builder = new PipelineBuilder("buffer").Shell("A").Shell("B", "A").Shell("C");
        var read = PipelineFile.Parse(builder.ToJson(), "main.orchest");
        var graph = RunGraphBuilder.Build(read.Pipeline!, RunType.Full, []).Graph!;
        var plan = RunPlanner.Plan(new RunRequest { ProjectId = "p", Workspace = "/tmp/none" }, read.Pipeline!, graph, T0, "run-1");
        return (builder, plan.Snapshot);
    }
}
