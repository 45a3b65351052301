using Azure.Data.Tables;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
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
        var store = new TableRunProjection(storage.Account);
        var runs = new List<Progress>();
        for (var i = 0; i < 5; i++)
        {
            var plan = TestPlans.Plan(TestPlans.Chain("A"), created: T0.AddMinutes(i), pipelinePath: i % 2 == 0 ? "a.orchest" : "b.orchest");
            await store.CreateAsync(plan.Snapshot, plan.Events);
            runs.Add(new Progress(plan.Snapshot));
        }

        var elsewhere = TestPlans.Plan(TestPlans.Chain("A"), projectId: "p2");
        await store.CreateAsync(elsewhere.Snapshot, elsewhere.Events);
        foreach (var ended in new[] { runs[1], runs[3] })
        {
            await store.ApplyAsync(ended.Start());
            await store.ApplyAsync(ended.Cancel());
        }

        await store.ApplyAsync(runs[4].Start());

        var pages = new List<IReadOnlyList<string>>();
        string? token = null;
        do
        {
            var page = await store.ListAsync(new RunQuery("p1", PageSize: 2, ContinuationToken: token));
            pages.Add(page.Runs.Select(r => r.Id).ToList());
            token = page.ContinuationToken;
        }
        while (token is not null);

        var ids = runs.Select(r => r.RunId).ToList();
        Assert.Equal([[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]], pages);
        Assert.Equal([ids[3], ids[1]], await IdsAsync(store, new RunQuery("p1", ExecutionStatus.Aborted)));
        Assert.Equal([ids[3], ids[1]], await IdsAsync(store, new RunQuery("p1", PipelinePath: "b.orchest")));
        Assert.Equal([ids[4]], await IdsAsync(store, new RunQuery("p1", ExecutionStatus.Started)));
        Assert.Equal([ids[2], ids[0]], await IdsAsync(store, new RunQuery("p1", ExecutionStatus.Pending, "a.orchest")));
        Assert.Equal([elsewhere.Snapshot.Run.Id], await IdsAsync(store, new RunQuery("p2")));
        var listed = (await store.ListAsync(new RunQuery("p1", ExecutionStatus.Started))).Runs.Single();
        Assert.Equal(ExecutionStatus.Started, listed.Status);
    }

    [Fact]
    public async Task ListAsync_IndexMissedTheEnd_ReadsTheStatusFromTheRunRow()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunProjection(storage.Account);
        var plan = TestPlans.Plan(TestPlans.Chain("A"));
        await store.CreateAsync(plan.Snapshot, plan.Events);
        var run = new Progress(plan.Snapshot);
        await store.ApplyAsync(run.Start());
        await store.ApplyAsync(run.Cancel());

        // As if the index row were older than the run row.
        await foreach (var row in storage.Account.RunIndex.QueryAsync<TableEntity>(r => r.PartitionKey == "p1"))
        {
            row[RunRows.Status] = "PENDING";
            await storage.Account.RunIndex.UpdateEntityAsync(row, row.ETag);
        }

        Assert.Equal([plan.Snapshot.Run.Id], await IdsAsync(store, new RunQuery("p1", ExecutionStatus.Aborted)));
        Assert.Empty(await IdsAsync(store, new RunQuery("p1", ExecutionStatus.Pending)));
    }

    private static async Task<List<string>> IdsAsync(TableRunProjection store, RunQuery query)
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
