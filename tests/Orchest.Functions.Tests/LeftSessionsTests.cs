using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Orchest.Durable.AzureStorage;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;

namespace Orchest.Functions.Tests;

/// <summary>
/// An orchestration session DurableTask.AzureStorage leaves active (a fetch took it and made no work item, as its
/// failing fetch does) holds every later message of the instance, until <see cref="LeftSessions"/> gives it back.
/// On the real provider (its internals, reached by reflection, must be found) and Azurite.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class LeftSessionsTests(AzuriteFixture azurite)
{
    /// <summary>The next orchestration work item, or null after <paramref name="seconds"/> (the provider waits for its token, not its receive timeout).</summary>
    private static async Task<TaskOrchestrationWorkItem?> FetchAsync(DurableTask.Core.Entities.IEntityOrchestrationService fetch, int seconds)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            return await fetch.LockNextOrchestrationWorkItemAsync(TimeSpan.FromSeconds(seconds), wait.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task ReleaseAsync_SessionNoWorkItemHolds_IsGivenBack_AndItsInstanceGoesOn()
    {
        var hub = "left" + Guid.NewGuid().ToString("n")[..12];
        var settings = new TaskHubOptions { PartitionCount = 1 }.ToServiceSettings(azurite.ConnectionString, hub, "test-worker", 1);
        var service = new AzureStorageOrchestrationService(settings);
        DurableTask.Core.Entities.IEntityOrchestrationService fetch = service;
        await service.CreateIfNotExistsAsync();
        await service.StartAsync();
        try
        {
            var client = new TaskHubClient(service);
            var instance = await client.CreateOrchestrationInstanceAsync("Anything", "", "left-1", null);
            var taken = await FetchAsync(fetch, 30);
            Assert.Equal("left-1", taken?.InstanceId);

            // Its work item is dropped (never completed nor released): the instance's next message waits behind the session.
            await client.RaiseEventAsync(instance, "go", "now");
            Assert.Null(await FetchAsync(fetch, 4));

            var left = new LeftSessions(service, NullLogger.Instance);
            Assert.Equal(0, await left.ReleaseAsync(id => id == "left-1"));
            Assert.Equal(1, await left.ReleaseAsync(_ => false));

            // Its messages come back (the start abandoned with the session; an event for an instance that never
            // checkpointed its start may be dropped by the provider on the way): the instance is fetched again.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            TaskOrchestrationWorkItem? again = null;
            while (again is null && DateTime.UtcNow < deadline)
            {
                again = await FetchAsync(fetch, 10);
            }

            Assert.Equal("left-1", again?.InstanceId);
            Assert.Contains(again!.NewMessages, m => m.Event.EventType == DurableTask.Core.History.EventType.ExecutionStarted);
            await service.ReleaseTaskOrchestrationWorkItemAsync(again);
        }
        finally
        {
            await service.StopAsync(isForced: true);
            await service.DeleteAsync();
        }
    }
}
