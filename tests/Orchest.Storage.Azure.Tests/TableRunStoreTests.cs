using Azure.Data.Tables;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class TableRunStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateAsync_SmallRun_GetAsyncReturnsTheSameRecords()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var builder = TestPlans.Chain("A", "B", "C");
        var plan = TestPlans.Plan(builder);

        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        var read = await store.GetAsync(plan.Snapshot.Run.Id);

        Assert.NotNull(read);
        RecordAssert.SameRun(plan.Snapshot.Run, read.Run);
        Assert.NotEmpty(read.Run.Version);
        Assert.Equal(plan.Snapshot.Steps.Select(s => s.Uuid), read.Steps.Select(s => s.Uuid));
        foreach (var (expected, actual) in plan.Snapshot.Steps.Zip(read.Steps))
        {
            Assert.Equal(expected.Title, actual.Title);
            Assert.Equal(expected.FilePath, actual.FilePath);
            Assert.Equal(expected.Parents, actual.Parents);
            Assert.Equal(expected.Children, actual.Children);
            Assert.Equal(expected.Retry, actual.Retry);
            Assert.NotEmpty(actual.Version);
        }

        Assert.Equal([RunEventTypes.RunCreated], (await store.GetEventsAsync(plan.Snapshot.Run.Id)).Select(e => e.Type));
        Assert.Null(await store.GetAsync("no-such-run"));
    }

    [Fact]
    public async Task CreateAsync_ThousandStepFanOutFanIn_RoundTripsInOrderWithLongParentAndChildLists()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var builder = TestPlans.FanOut(1000, fanIn: true);
        var plan = TestPlans.Plan(builder);

        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        var read = (await store.GetAsync(plan.Snapshot.Run.Id))!;

        Assert.Equal(plan.Snapshot.Steps.Select(s => s.Uuid), read.Steps.Select(s => s.Uuid));
        Assert.Equal(plan.Snapshot.GetStep(builder.StepUuid("R")).Children, read.GetStep(builder.StepUuid("R")).Children);
        Assert.Equal(1000, read.GetStep(builder.StepUuid("J")).Parents.Count);
        Assert.Equal(plan.Snapshot.GetStep(builder.StepUuid("J")).Parents, read.GetStep(builder.StepUuid("J")).Parents);

        // 1,000 uuids do not fit in one 64 KiB string property: the row spreads its document over columns.
        var row = (await storage.Account.Runs.GetEntityAsync<TableEntity>(plan.Snapshot.Run.Id, RunRows.StepKey(builder.StepUuid("R")))).Value;
        Assert.True(row.ContainsKey("d1"));
        Assert.All(row.Select(kv => kv.Value).OfType<string>(), v => Assert.True(v.Length <= RowColumns.ChunkChars));
    }

    [Fact]
    public async Task CreateAsync_ExistingRun_ThrowsAndKeepsTheFirst()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var plan = TestPlans.Plan(TestPlans.Chain("A"));
        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        var started = await StoreSteps.StartAsync(store, plan.Snapshot.Run.Id);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events));

        Assert.Contains(plan.Snapshot.Run.Id, error.Message, StringComparison.Ordinal);
        var after = (await store.GetAsync(plan.Snapshot.Run.Id))!;
        RecordAssert.SameRun(started.Run, after.Run);
        Assert.Equal(started.Run.Version, after.Run.Version);
    }

    [Fact]
    public async Task TryCommitAsync_StaleVersion_ReturnsFalseAndChangesNothing()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var builder = TestPlans.Chain("A", "B");
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        var stale = (await store.GetAsync(runId))!;
        var started = await StoreSteps.StartAsync(store, runId);

        var cancel = RunStateMachine.Cancel(stale, DateTimeOffset.UtcNow).Transition!;
        Assert.False(await store.TryCommitAsync(cancel));

        // The same through a store that never saw the snapshot (no cached run-row state).
        Assert.False(await new TableRunStore(storage.OpenAnother()).TryCommitAsync(cancel));

        var after = (await store.GetAsync(runId))!;
        RecordAssert.SameRun(started.Run, after.Run);
        Assert.Equal(started.Run.Version, after.Run.Version);
        RecordAssert.SameSteps(started.Steps, after.Steps);
        Assert.Equal(started.Steps.Select(s => s.Version), after.Steps.Select(s => s.Version));
        Assert.Equal([RunEventTypes.RunCreated, RunEventTypes.RunStarted], (await store.GetEventsAsync(runId)).Select(e => e.Type));
    }

    [Fact]
    public async Task TryCommitAsync_ThousandStepDispatch_CommitsEveryRowThroughOneIntent()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var builder = TestPlans.FanOut(1000);
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        var root = builder.StepUuid("R");
        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        await StoreSteps.StartAsync(store, runId);
        var claimed = await StoreSteps.ClaimAsync(store, runId, root);
        var complete = RunStateMachine.Complete(claimed, new StepWorkItem(runId, root, 1), "w1", StepOutcome.Succeeded("set"), DateTimeOffset.UtcNow).Transition!;
        Assert.True(complete.ChangedSteps.Count > 100);

        Assert.True(await store.TryCommitAsync(complete));
        Assert.False(await store.TryCommitAsync(complete));

        var after = (await store.GetAsync(runId))!;
        Assert.Equal(ExecutionStatus.Success, after.GetStep(root).Status);
        Assert.All(after.Steps.Where(s => s.Uuid != root), s => Assert.True(s.Dispatched && s.Attempt == 1, s.Title));
        Assert.Equal(RunEventTypes.StepSucceeded, (await store.GetEventsAsync(runId))[^1].Type);
        Assert.Empty(await ListBlobsAsync(storage, $"transitions/{runId}/"));
    }

    [Fact]
    public async Task TryCommitAsync_CrashAfterFirstBatch_NextReaderRollsTheTransitionForward()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var builder = TestPlans.FanOut(1000);
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        var root = builder.StepUuid("R");
        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        await StoreSteps.StartAsync(store, runId);
        var claimed = await StoreSteps.ClaimAsync(store, runId, root);
        var complete = RunStateMachine.Complete(claimed, new StepWorkItem(runId, root, 1), "w1", StepOutcome.Succeeded("set"), DateTimeOffset.UtcNow).Transition!;
        store.AfterIntentBatch = batch => batch == 0 ? throw new SimulatedCrashException() : Task.CompletedTask;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => store.TryCommitAsync(complete));

        // Half applied underneath: the first batch only.
        var dispatchedRows = 0;
        await foreach (var row in storage.Account.Runs.QueryAsync<TableEntity>(r => r.PartitionKey == runId))
        {
            dispatchedRows += row.RowKey.StartsWith(RunRows.StepPrefix, StringComparison.Ordinal) && RowColumns.ReadDocument(row).Contains("\"dispatched\":true", StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.InRange(dispatchedRows, 1, 999);

        // Another host reads the run: it sees the whole transition, and can commit the next one.
        var other = new TableRunStore(storage.OpenAnother());
        var after = (await other.GetAsync(runId))!;
        Assert.Equal(ExecutionStatus.Success, after.GetStep(root).Status);
        Assert.All(after.Steps.Where(s => s.Uuid != root), s => Assert.True(s.Dispatched, s.Title));
        Assert.Empty(await ListBlobsAsync(storage, $"transitions/{runId}/"));
        await StoreSteps.ClaimAsync(other, runId, builder.StepUuid("C7"));
        Assert.Equal(ExecutionStatus.Started, (await store.GetAsync(runId))!.GetStep(builder.StepUuid("C7")).Status);
    }

    [Fact]
    public async Task TryCommitAsync_FailFastOverThousandSteps_AbortsEveryStepAndEndsTheRun()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var builder = TestPlans.FanOut(1000);
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        var root = builder.StepUuid("R");
        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        await StoreSteps.StartAsync(store, runId);
        await StoreSteps.ClaimAsync(store, runId, root);

        var failed = await StoreSteps.CommitAsync(store, runId, (s, now) =>
            RunStateMachine.Complete(s, new StepWorkItem(runId, root, 1), "w1", StepOutcome.Failed(1, "exited with code 1"), now));

        Assert.Equal(ExecutionStatus.Failure, failed.Run.Status);
        Assert.All(failed.Steps.Where(s => s.Uuid != root), s => Assert.Equal(ExecutionStatus.Aborted, s.Status));
        var events = await store.GetEventsAsync(runId);
        Assert.Equal(1000, events.Count(e => e.Type == RunEventTypes.StepAborted));
        Assert.Equal(RunEventTypes.RunFailed, events[^1].Type);
    }

    private static async Task<List<string>> ListBlobsAsync(TestStorage storage, string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in storage.Account.State.GetBlobsAsync(new global::Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private sealed class SimulatedCrashException : Exception;
}
