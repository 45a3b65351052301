using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>The task hub forgets ended runs' orchestration history; the runs stay readable (their record is the projection).</summary>
[Collection(ServedCollection.Name)]
public sealed class HistoryPurgeTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Timers_EndedRunOlderThanTheRetention_HistoryGoesRunningRunKeepsItsAndBothStayReadable()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var flags = bed.Folder("flags");
        var pipeline = new PipelineBuilder("purge").Step("Wait", "wait.sh", "while [ ! -f \"$FLAG_DIR/go\" ]; do sleep 0.1; done\n");
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync(
            "solo", "api,worker,timers", "--Orchest:TaskHub:HistoryRetention=00:00:00", "--Orchest:TaskHub:HistoryPurgeInterval=00:00:01");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("purge-" + bed.Prefix, origin.Root);
        var env = new JsonObject { ["env"] = new JsonObject { ["FLAG_DIR"] = flags } };
        var running = (string)(await api.CreateRunAsync(project, env.DeepClone().AsObject()))["id"]!;
        await api.WaitForRunAsync(running, r => (string?)ApiClient.Step(r, "Wait")["status"] == "STARTED", TimeSpan.FromSeconds(60), host.ToString);

        // Purges every second, retention zero: a running run's history stays.
        var history = new TableClient(bed.ConnectionString, bed.Storage.TaskHub + "History");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.True(await RowsAsync(history, running) > 0);
        await File.WriteAllTextAsync(Path.Combine(flags, "go"), "");
        await api.WaitForEndAsync(running, TimeSpan.FromSeconds(60), host.ToString);
        await Wait.UntilAsync(async () => await RowsAsync(history, running) == 0, TimeSpan.FromSeconds(30), host.ToString);

        var run = await api.GetRunAsync(running);
        Assert.Equal("SUCCESS", (string?)run["status"]);
        // The purge logs once it returned, which can be after the history rows are gone (and the console logs behind).
        await Wait.UntilAsync(() => host.Output.Contains("Task hub history of", StringComparison.Ordinal), TimeSpan.FromSeconds(30), host.ToString);
    }

    private static async Task<int> RowsAsync(TableClient table, string instanceId)
    {
        var rows = 0;
        try
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId, select: ["PartitionKey"]))
            {
                rows++;
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet.
        }

        return rows;
    }
}
