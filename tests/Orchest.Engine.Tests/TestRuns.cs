using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;
using Orchest.Pipelines;
using Orchest.Testing;

namespace Orchest.Engine.Tests;

/// <summary>Builds run snapshots from pipeline builders and drives the pure state machine.</summary>
internal static class TestRuns
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static RunSnapshot Plan(PipelineBuilder builder, RunType runType = RunType.Full, params string[] steps)
    {
        var read = PipelineFile.Parse(builder.ToJson(), "main.orchest");
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => p.Message)));
        var graph = RunGraphBuilder.Build(read.Pipeline!, runType, steps.Select(builder.StepUuid).ToList());
        Assert.NotNull(graph.Graph);
        var request = new RunRequest { ProjectId = "p", Workspace = "/tmp/none", RunType = runType };
        return RunPlanner.Plan(request, read.Pipeline!, graph.Graph!, T0, "run-1").Snapshot;
    }

    /// <summary>Applies a decision the way a store would (no version check needed in pure tests).</summary>
    public static (RunSnapshot After, RunTransition Transition) Apply(RunSnapshot before, TransitionResult result)
    {
        Assert.False(result.IsRejected, result.Rejection);
        var t = result.Transition!;
        var steps = before.Steps.Select(s => t.ChangedSteps.FirstOrDefault(c => c.Uuid == s.Uuid) ?? s).ToList();
        return (new RunSnapshot(t.Run, steps), t);
    }

    public static RunSnapshot Start(RunSnapshot snapshot) => Apply(snapshot, RunStateMachine.Start(snapshot, T0)).After;

    public static RunSnapshot Claim(RunSnapshot snapshot, PipelineBuilder b, string title, string owner = "w1")
    {
        var step = snapshot.GetStep(b.StepUuid(title));
        return Apply(snapshot, RunStateMachine.Begin(snapshot, new StepWorkItem("run-1", step.Uuid, step.Attempt), owner, T0, T0)).After;
    }

    public static (RunSnapshot After, RunTransition Transition) Finish(
        RunSnapshot snapshot, PipelineBuilder b, string title, bool success = true, string owner = "w1")
    {
        var step = snapshot.GetStep(b.StepUuid(title));
        var outcome = success ? StepOutcome.Succeeded($"run-1-{step.Attempt}") : StepOutcome.Failed(1, "exited with code 1");
        return Apply(snapshot, RunStateMachine.Complete(snapshot, new StepWorkItem("run-1", step.Uuid, step.Attempt), owner, outcome, T0.AddSeconds(5)));
    }

    /// <summary>A durable host's report of a dispatched attempt of <paramref name="title"/>.</summary>
    public static TransitionResult Report(
        RunSnapshot snapshot, PipelineBuilder b, string title, StepOutcome outcome, int ranAs = 0, bool hostStopped = false, string host = "h1")
    {
        var step = snapshot.GetStep(b.StepUuid(title));
        var report = new StepReport(ranAs > 0 ? ranAs : step.Attempt, host, T0.AddSeconds(1), T0.AddSeconds(4), outcome, hostStopped);
        return RunStateMachine.Report(snapshot, new StepWorkItem("run-1", step.Uuid, step.Attempt), report, T0.AddSeconds(5));
    }

    public static ExecutionStatus Status(RunSnapshot snapshot, PipelineBuilder b, string title) =>
        snapshot.GetStep(b.StepUuid(title)).Status;

    public static IReadOnlyList<string> Enqueued(RunTransition t, PipelineBuilder b, params string[] titles) =>
        titles.Where(title => t.ToEnqueue.Any(w => w.Item.StepUuid == b.StepUuid(title))).ToList();
}
