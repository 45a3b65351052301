using Azure.Data.Tables;
using DurableTask.Core;
using Orchest.Durable.Housekeeping;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// The task hub's housekeeping is one eternal orchestration: it loops on a durable timer (each round a new
/// execution, the history one round long), and a host with the timers role starts it again after it was terminated.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class HousekeepingTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Housekeeping_LoopsOnADurableTimer_AndATerminatedOneIsStartedAgain()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var host = await bed.StartHostAsync(
            "solo", "api,worker,timers", "--Orchest:Jobs:OrphanCheckInterval=00:00:01", "--Orchest:TaskHub:HousekeepingCheckInterval=00:00:01");
        var instances = new TableClient(bed.ConnectionString, bed.Storage.TaskHub + "Instances");

        // Rounds go on: the instance runs and continues as new (a new execution id) round after round.
        var executions = new HashSet<string>();
        await UntilAsync(async () =>
        {
            if (await ReadAsync(instances) is ("Running", var execution))
            {
                executions.Add(execution);
            }

            return executions.Count >= 3;
        }, () => $"three rounds of {HousekeepingOrchestrator.InstanceId}; saw {executions.Count}. {host}");
        Assert.True((await bed.Storage.HistoryAsync(HousekeepingOrchestrator.InstanceId)).Count < 40, "the history keeps one round");

        // Terminated (by an operator, or failed): the timers host starts it again.
        var client = new TaskHubClient(bed.TaskHubService());
        await client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = HousekeepingOrchestrator.InstanceId }, "test");
        await UntilAsync(async () => await ReadAsync(instances) is ("Terminated", _), () => $"the terminated instance. {host}");
        await UntilAsync(async () => await ReadAsync(instances) is ("Running", var execution) && !executions.Contains(execution),
            () => $"{HousekeepingOrchestrator.InstanceId} running again. {host}");
        await Wait.UntilAsync(() => host.Output.Contains("Housekeeping orchestration orchest-housekeeping started", StringComparison.Ordinal), Timeout, host.ToString);
    }

    private static async Task<(string? Status, string Execution)> ReadAsync(TableClient instances)
    {
        try
        {
            var row = await instances.GetEntityIfExistsAsync<TableEntity>(HousekeepingOrchestrator.InstanceId, "");
            return row.HasValue ? (row.Value!.GetString("RuntimeStatus"), row.Value.GetString("ExecutionId") ?? "") : (null, "");
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, "");
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {Timeout.TotalSeconds} s waiting for {what()}.");
            await Task.Delay(100);
        }
    }
}
