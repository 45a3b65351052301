using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;
using Orchest.Storage.Azure.Tables;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests.Support;

/// <summary>Drives a run through the state machine against a real store (read, decide, commit once).</summary>
internal static class StoreSteps
{
    public static async Task<RunSnapshot> CommitAsync(TableRunStore store, string runId, Func<RunSnapshot, DateTimeOffset, TransitionResult> decide)
    {
        var snapshot = (await store.GetAsync(runId))!;
        var result = decide(snapshot, DateTimeOffset.UtcNow);
        Assert.False(result.IsRejected, result.Rejection);
        Assert.True(await store.TryCommitAsync(result.Transition!), "the commit lost to a concurrent transition");
        return (await store.GetAsync(runId))!;
    }

    public static Task<RunSnapshot> StartAsync(TableRunStore store, string runId) =>
        CommitAsync(store, runId, RunStateMachine.Start);

    public static Task<RunSnapshot> ClaimAsync(TableRunStore store, string runId, string stepUuid, string owner = "w1") =>
        CommitAsync(store, runId, (s, now) =>
            RunStateMachine.Claim(s, new StepWorkItem(runId, stepUuid, s.GetStep(stepUuid).Attempt), owner, now.AddMinutes(5), now));

    public static Task<RunSnapshot> SucceedAsync(TableRunStore store, string runId, string stepUuid, string owner = "w1") =>
        CommitAsync(store, runId, (s, now) =>
            RunStateMachine.Complete(s, new StepWorkItem(runId, stepUuid, s.GetStep(stepUuid).Attempt), owner, StepOutcome.Succeeded($"{runId}-1"), now));

    public static string Uuid(PipelineBuilder builder, string title) => builder.StepUuid(title);
}
