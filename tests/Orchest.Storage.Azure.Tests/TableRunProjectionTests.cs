using Azure.Data.Tables;
using Orchest.Engine.Runs;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class TableRunProjectionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateAsync_NewRun_ReadsBackPendingWithStepsInGraphOrderAndItsCreationEvent()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var projection = new TableRunProjection(storage.Account);
        var plan = TestPlans.Plan(TestPlans.Chain("A", "B", "C"));

        await projection.CreateAsync(plan.Snapshot, plan.Events);
        var read = (await new TableRunProjection(storage.OpenAnother()).GetAsync(plan.Snapshot.Run.Id))!;

        Assert.Equal(ExecutionStatus.Pending, read.Run.Status);
        Assert.Equal(plan.Snapshot.Steps.Select(s => s.Title), read.Steps.Select(s => s.Title));
        Assert.Equal([RunEventTypes.RunCreated], (await projection.GetEventsAsync(plan.Snapshot.Run.Id)).Select(e => e.Type));
        Assert.Null(await projection.GetAsync("no-such-run"));
    }

    [Fact]
    public async Task CreateAsync_AfterTheOrchestrationsFirstProgress_WritesNothing()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var projection = new TableRunProjection(storage.Account);
        var plan = TestPlans.Plan(TestPlans.Chain("A", "B"));
        var run = new Progress(plan.Snapshot);
        await projection.ApplyAsync(run.Start());

        await projection.CreateAsync(plan.Snapshot, plan.Events);

        Assert.Equal(ExecutionStatus.Started, (await projection.GetAsync(run.RunId))!.Run.Status);
        Assert.Single(await storage.Account.RunIndex.QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public async Task ApplyAsync_ProgressOfARun_StepsEventsAndRunFollowAndApplyingTwiceChangesNothing()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var projection = new TableRunProjection(storage.Account);
        var builder = TestPlans.Chain("A", "B");
        var plan = TestPlans.Plan(builder);
        await projection.CreateAsync(plan.Snapshot, plan.Events);
        var run = new Progress(plan.Snapshot);

        var progresses = new[] { run.Start(), run.Succeed(builder.StepUuid("A")), run.Succeed(builder.StepUuid("B")) };
        foreach (var progress in progresses)
        {
            await projection.ApplyAsync(progress);
        }

        var read = (await projection.GetAsync(run.RunId))!;
        var events = await projection.GetEventsAsync(run.RunId);
        await projection.ApplyAsync(progresses[1]);
        await projection.ApplyAsync(progresses[2]);

        Assert.Equal(ExecutionStatus.Success, read.Run.Status);
        Assert.All(read.Steps, s => Assert.Equal((ExecutionStatus.Success, 1, $"{run.RunId}-1"), (s.Status, s.Attempt, s.OutputSet)));
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(RunEventTypes.RunSucceeded, events[^1].Type);
        Assert.Equal(events.Select(e => e.Id), (await projection.GetEventsAsync(run.RunId)).Select(e => e.Id));
        Assert.Equal(events.Skip(3).Select(e => e.Id), (await projection.GetEventsAsync(run.RunId, after: 2)).Select(e => e.Id));
        Assert.Equal(ExecutionStatus.Success, (await projection.GetAsync(run.RunId))!.Run.Status);
    }

    [Fact]
    public async Task BeginAttemptAsync_SecondExecutionOfADispatch_RunsAsTheNextAttemptAndShowsStarted()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var projection = new TableRunProjection(storage.Account);
        var builder = TestPlans.Chain("A", "B");
        var run = new Progress(TestPlans.Plan(builder).Snapshot);
        await projection.ApplyAsync(run.Start());
        var a = builder.StepUuid("A");
        var at = new DateTimeOffset(2026, 11, 22, 12, 0, 3, TimeSpan.Zero);

        var first = await projection.BeginAttemptAsync(run.RunId, a, 1, "host-a", at);
        var second = await new TableRunProjection(storage.OpenAnother()).BeginAttemptAsync(run.RunId, a, 1, "host-b", at.AddSeconds(20));

        Assert.Equal((1, 0), (first.Attempt, first.LostOn.Count));
        Assert.Equal(2, second.Attempt);
        Assert.Equal(["host-a"], second.LostOn);
        var step = (await projection.GetAsync(run.RunId))!.GetStep(a);
        Assert.Equal((ExecutionStatus.Started, 2, "host-b", at.AddSeconds(20)), (step.Status, step.Attempt, step.Owner, step.Started!.Value));
        Assert.Equal(ExecutionStatus.Pending, (await projection.GetAsync(run.RunId))!.GetStep(builder.StepUuid("B")).Status);
    }

    [Fact]
    public async Task IsStoppingAsync_RunningCancelledAndEndedRuns_SaysWhetherStepsMustStop()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var projection = new TableRunProjection(storage.Account);
        var running = new Progress(TestPlans.Plan(TestPlans.Chain("A")).Snapshot);
        var cancelled = new Progress(TestPlans.Plan(TestPlans.Chain("A")).Snapshot);
        var ended = new Progress(TestPlans.Plan(TestPlans.Chain("A")).Snapshot);
        await projection.ApplyAsync(running.Start());
        await projection.ApplyAsync(cancelled.Start());
        await projection.ApplyAsync(ended.Start());
        await projection.ApplyAsync(ended.Cancel());

        await projection.RequestCancelAsync(cancelled.RunId);

        Assert.False(await projection.IsStoppingAsync(running.RunId));
        Assert.True(await projection.IsStoppingAsync(cancelled.RunId));
        Assert.True((await projection.GetAsync(cancelled.RunId))!.Run.CancelRequested);
        Assert.True(await projection.IsStoppingAsync(ended.RunId));
        Assert.Null(await projection.IsStoppingAsync("no-such-run"));
    }

    [Fact]
    public async Task ApplyAsync_ProgressOfAWideRun_WritesMoreRowsThanOneTransactionHolds()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var projection = new TableRunProjection(storage.Account);
        var builder = TestPlans.FanOut(150, fanIn: true);
        var run = new Progress(TestPlans.Plan(builder).Snapshot);

        await projection.ApplyAsync(run.Start());
        await projection.ApplyAsync(run.Succeed(builder.StepUuid("R")));
        await projection.ApplyAsync(run.Cancel());

        var read = (await projection.GetAsync(run.RunId))!;
        Assert.Equal(152, read.Steps.Count);
        Assert.Equal(ExecutionStatus.Aborted, read.Run.Status);
        Assert.Equal(151, read.Steps.Count(s => s.Status == ExecutionStatus.Aborted));
        Assert.Equal(read.Run.EventCount, (await projection.GetEventsAsync(run.RunId)).Count);
    }
}
