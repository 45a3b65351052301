using Azure.Data.Tables;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class RunCatalogTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListAsync_PagesOfTwo_NewestFirstWithFiltersOnStatusAndPipeline()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var runs = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var plan = TestPlans.Plan(TestPlans.Chain("A"), created: T0.AddMinutes(i), pipelinePath: i % 2 == 0 ? "a.orchest" : "b.orchest");
            await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
            runs.Add(plan.Snapshot.Run.Id);
        }

        var elsewhere = TestPlans.Plan(TestPlans.Chain("A"), projectId: "p2");
        await store.CreateAsync(elsewhere.Snapshot, elsewhere.Definition, elsewhere.Events);
        await StoreSteps.CommitAsync(store, runs[1], (s, now) => RunStateMachine.Cancel(s, now));
        await StoreSteps.CommitAsync(store, runs[3], (s, now) => RunStateMachine.Cancel(s, now));
        await StoreSteps.StartAsync(store, runs[4]);

        var pages = new List<IReadOnlyList<string>>();
        string? token = null;
        do
        {
            var page = await store.ListAsync(new RunQuery("p1", PageSize: 2, ContinuationToken: token));
            pages.Add(page.Runs.Select(r => r.Id).ToList());
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal([[runs[4], runs[3]], [runs[2], runs[1]], [runs[0]]], pages);
        Assert.Equal([runs[3], runs[1]], await IdsAsync(store, new RunQuery("p1", ExecutionStatus.Aborted)));
        Assert.Equal([runs[3], runs[1]], await IdsAsync(store, new RunQuery("p1", PipelinePath: "b.orchest")));
        Assert.Equal([runs[4]], await IdsAsync(store, new RunQuery("p1", ExecutionStatus.Started)));
        Assert.Equal([runs[2], runs[0]], await IdsAsync(store, new RunQuery("p1", ExecutionStatus.Pending, "a.orchest")));
        Assert.Equal([elsewhere.Snapshot.Run.Id], await IdsAsync(store, new RunQuery("p2")));
        var listed = (await store.ListAsync(new RunQuery("p1", ExecutionStatus.Started))).Runs.Single();
        Assert.Equal(ExecutionStatus.Started, listed.Status);
    }

    [Fact]
    public async Task ListAsync_IndexMissedTheEnd_ReadsTheStatusFromTheRunRow()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var plan = TestPlans.Plan(TestPlans.Chain("A"));
        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        await StoreSteps.CommitAsync(store, plan.Snapshot.Run.Id, (s, now) => RunStateMachine.Cancel(s, now));

        // As if the best-effort index update after the terminal commit had failed.
        await foreach (var row in storage.Account.RunIndex.QueryAsync<TableEntity>(r => r.PartitionKey == "p1"))
        {
            row[RunRows.Status] = "PENDING";
            await storage.Account.RunIndex.UpdateEntityAsync(row, row.ETag);
        }

        Assert.Equal([plan.Snapshot.Run.Id], await IdsAsync(store, new RunQuery("p1", ExecutionStatus.Aborted)));
        Assert.Empty(await IdsAsync(store, new RunQuery("p1", ExecutionStatus.Pending)));
    }

    [Fact]
    public async Task ListActiveAsync_EndedRunStillIndexed_IsDroppedAndItsEntryDeleted()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var plan = TestPlans.Plan(TestPlans.Chain("A"));
            await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
            ids.Add(plan.Snapshot.Run.Id);
        }

        await StoreSteps.CommitAsync(store, ids[1], (s, now) => RunStateMachine.Cancel(s, now));
        Assert.Equal(ids.Where((_, i) => i != 1).Order(), (await store.ListActiveAsync()).Order());

        // As if removing the entry after the terminal commit had failed.
        await storage.Account.ActiveRuns.UpsertEntityAsync(new TableEntity("active", ids[1]));
        Assert.Equal(ids.Where((_, i) => i != 1).Order(), (await store.ListActiveAsync()).Order());
        Assert.False((await storage.Account.ActiveRuns.GetEntityIfExistsAsync<TableEntity>("active", ids[1])).HasValue);
    }

    private static async Task<List<string>> IdsAsync(TableRunStore store, RunQuery query)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListAsync(query with { ContinuationToken = token });
            ids.AddRange(page.Runs.Select(r => r.Id));
            token = page.ContinuationToken;
        }
        while (token is not null);

        return ids;
    }
}
