using Azure.Data.Tables;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

/// <summary>The run store's snapshot cache: run-row point reads, delta reads of changed step rows, and no stale commit.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SnapshotCacheTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetAsync_AfterOwnCommit_ReturnsTheCommittedStateWithoutReadingThePartition()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var builder = TestPlans.FanOut(20, fanIn: true);
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        var root = builder.StepUuid("R");
        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);

        var created = (await store.GetAsync(runId))!;
        Assert.Equal(1, store.FullReads);
        Assert.True(await store.TryCommitAsync(RunStateMachine.Start(created, DateTimeOffset.UtcNow).Transition!));
        var started = (await store.GetAsync(runId))!;
        var claim = RunStateMachine.Claim(started, new StepWorkItem(runId, root, 1), "w1", DateTimeOffset.UtcNow.AddMinutes(5), DateTimeOffset.UtcNow).Transition!;
        Assert.True(await store.TryCommitAsync(claim));
        var claimed = (await store.GetAsync(runId))!;

        Assert.Equal(1, store.FullReads);
        Assert.Equal(0, store.DeltaReads);
        Assert.Equal(2, store.CacheHits);
        Assert.Equal(ExecutionStatus.Started, claimed.Run.Status);
        Assert.Equal("w1", claimed.GetStep(root).Owner);

        // Exactly what a store that never saw the run reads, versions (ETags) included.
        var fresh = (await new TableRunStore(storage.OpenAnother()).GetAsync(runId))!;
        AssertSame(fresh, claimed);

        // The cached snapshot commits (its run-row state is known) and an ended run leaves the cache.
        Assert.True(await store.TryCommitAsync(RunStateMachine.Cancel(claimed, DateTimeOffset.UtcNow).Transition!));
        Assert.Equal(0, store.CachedRunCount);
        Assert.Equal(ExecutionStatus.Aborted, (await store.GetAsync(runId))!.Run.Status);
        Assert.Equal(0, store.CachedRunCount);
    }

    [Fact]
    public async Task GetAsync_AfterCommitsByAnotherStore_ReadsOnlyTheChangedStepRows()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var first = new TableRunStore(storage.Account);
        var second = new TableRunStore(storage.OpenAnother());
        var builder = TestPlans.FanOut(20, fanIn: true);
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        var root = builder.StepUuid("R");
        await first.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        await first.GetAsync(runId);

        await StoreSteps.StartAsync(second, runId);
        await StoreSteps.ClaimAsync(second, runId, root);
        var seen = (await first.GetAsync(runId))!;

        Assert.Equal(1, first.FullReads);
        Assert.Equal(1, first.DeltaReads);
        Assert.Equal(1, first.DeltaRowsRead); // the root: both transitions changed only its row
        AssertSame((await second.GetAsync(runId))!, seen);

        // A completion that dispatches every child: 21 changed rows (root and children), read as such.
        await StoreSteps.SucceedAsync(second, runId, root);
        var dispatched = (await first.GetAsync(runId))!;
        Assert.Equal(1, first.FullReads);
        Assert.Equal(1 + 21, first.DeltaRowsRead); // the root and its 20 children
        Assert.All(dispatched.Steps.Where(s => s.Title.StartsWith('C')), s => Assert.True(s.Dispatched, s.Title));
        AssertSame((await new TableRunStore(storage.OpenAnother()).GetAsync(runId))!, dispatched);

        // The merged snapshot commits, and the other store sees that commit in turn.
        var child = builder.StepUuid("C7");
        await StoreSteps.ClaimAsync(first, runId, child);
        var other = (await second.GetAsync(runId))!;
        Assert.Equal("w1", other.GetStep(child).Owner);
        AssertSame((await first.GetAsync(runId))!, other);
    }

    [Fact]
    public async Task TryCommitAsync_StaleCachedSnapshot_ConflictsThenCommitsAfterReRead()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var first = new TableRunStore(storage.Account);
        var second = new TableRunStore(storage.OpenAnother());
        var builder = TestPlans.FanOut(5);
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        var root = builder.StepUuid("R");
        await first.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        await StoreSteps.StartAsync(first, runId);
        var stale = (await first.GetAsync(runId))!;

        // The other host claims the root; the first still holds (and caches) the snapshot before it.
        var claimedElsewhere = await StoreSteps.ClaimAsync(second, runId, root, owner: "w2");
        var now = DateTimeOffset.UtcNow;
        var staleClaim = RunStateMachine.Claim(stale, new StepWorkItem(runId, root, 1), "w1", now.AddMinutes(5), now);
        Assert.False(await first.TryCommitAsync(staleClaim.Transition!));
        AssertSame(claimedElsewhere, (await second.GetAsync(runId))!);

        // Re-read: the first store now sees w2's claim, so its own claim is refused; a cancel commits.
        var reread = (await first.GetAsync(runId))!;
        Assert.Equal("w2", reread.GetStep(root).Owner);
        Assert.NotEqual(stale.Run.Version, reread.Run.Version);
        Assert.True(RunStateMachine.Claim(reread, new StepWorkItem(runId, root, 1), "w1", now.AddMinutes(5), now).Transition is null);
        Assert.True(await first.TryCommitAsync(RunStateMachine.Cancel(reread, DateTimeOffset.UtcNow).Transition!));
        Assert.Equal(ExecutionStatus.Aborted, (await second.GetAsync(runId))!.Run.Status);
        Assert.Equal(1, first.DeltaReads);
    }

    [Fact]
    public async Task GetAsync_RowsWithoutChangeSequence_ReadTheWholePartition()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var builder = TestPlans.FanOut(3);
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        var started = await StoreSteps.StartAsync(store, runId);
        var reads = store.FullReads;

        // Rewrite every row as a store before the change sequence would have: no "cs" column.
        await foreach (var row in storage.Account.Runs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}")))
        {
            Assert.True(row.Remove(RunRows.Sequence) || row.RowKey.StartsWith(RunRows.EventPrefix, StringComparison.Ordinal), row.RowKey);
            await storage.Account.Runs.UpsertEntityAsync(row, TableUpdateMode.Replace);
        }

        var read = (await store.GetAsync(runId))!;
        Assert.Equal(reads + 1, store.FullReads);
        RecordAssert.SameRun(started.Run, read.Run);
        RecordAssert.SameSteps(started.Steps, read.Steps);
        AssertSame((await new TableRunStore(storage.OpenAnother()).GetAsync(runId))!, read);

        // Commits from it work and restart the sequence; another store then reads deltas again.
        var other = new TableRunStore(storage.OpenAnother());
        await other.GetAsync(runId);
        var claimed = await StoreSteps.ClaimAsync(store, runId, builder.StepUuid("R"));
        AssertSame(claimed, (await other.GetAsync(runId))!);
        Assert.Equal(1, other.DeltaReads);
    }

    [Fact]
    public async Task GetAsync_AfterAnIntentCommit_ReadsTheRolledForwardRunThenDeltas()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var first = new TableRunStore(storage.Account);
        var second = new TableRunStore(storage.OpenAnother());
        var builder = TestPlans.FanOut(150);
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        var root = builder.StepUuid("R");
        await first.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        await StoreSteps.StartAsync(first, runId);
        await StoreSteps.ClaimAsync(first, runId, root);
        await second.GetAsync(runId);

        var dispatched = await StoreSteps.SucceedAsync(first, runId, root); // 151 rows: through an intent
        Assert.All(dispatched.Steps.Where(s => s.Uuid != root), s => Assert.True(s.Dispatched, s.Title));
        var seen = (await second.GetAsync(runId))!;
        Assert.Equal(151, second.DeltaRowsRead);
        AssertSame(dispatched, seen);

        await StoreSteps.ClaimAsync(second, runId, builder.StepUuid("C42"));
        var after = (await first.GetAsync(runId))!;
        Assert.Equal("w1", after.GetStep(builder.StepUuid("C42")).Owner);
        AssertSame((await second.GetAsync(runId))!, after);
    }

    private static void AssertSame(RunSnapshot expected, RunSnapshot actual)
    {
        RecordAssert.SameRun(expected.Run, actual.Run);
        Assert.Equal(expected.Run.Version, actual.Run.Version);
        RecordAssert.SameSteps(expected.Steps, actual.Steps);
        Assert.Equal(expected.Steps.Select(s => s.Version), actual.Steps.Select(s => s.Version));
    }
}
