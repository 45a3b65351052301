using System.Diagnostics;
using Orchest.Engine.Scheduling;
using Orchest.Storage.Azure.Queues;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueWorkQueueTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DequeueAsync_EnqueuedItem_ExtendsAndCompletesOnce()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var queue = new StorageQueueWorkQueue(storage.Account, Lease);
        var item = new StepWorkItem("run-1", "step-1", 1);
        await queue.EnqueueAsync(item, TimeSpan.Zero);

        var work = await queue.DequeueAsync(Lease, TimeSpan.Zero);
        Assert.NotNull(work);
        Assert.Equal(item, work.Item);
        Assert.Equal(1, work.DequeueCount);
        var extended = await queue.ExtendAsync(work, Lease);
        Assert.NotEqual(work.Receipt, extended.Receipt);
        await queue.CompleteAsync(extended);
        await queue.CompleteAsync(extended); // already gone: not an error

        Assert.Null(await queue.DequeueAsync(Lease, TimeSpan.Zero));
    }

    [Fact]
    public async Task EnqueueAsync_WithDelay_InvisibleUntilTheDelayPassed()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var queue = new StorageQueueWorkQueue(storage.Account, Lease);
        var item = new StepWorkItem("run-1", "step-1", 2);

        await queue.EnqueueAsync(item, TimeSpan.FromSeconds(2));

        Assert.Null(await queue.DequeueAsync(Lease, TimeSpan.Zero));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(item, (await queue.DequeueAsync(Lease, TimeSpan.Zero))?.Item);
    }

    [Fact]
    public async Task DequeueAsync_MessageNotCompleted_ReappearsAfterItsVisibilityForAnotherHost()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var first = new StorageQueueWorkQueue(storage.Account, Lease);
        var second = new StorageQueueWorkQueue(storage.OpenAnother(), Lease);
        var item = new StepWorkItem("run-1", "step-1", 1);
        await first.EnqueueAsync(item, TimeSpan.Zero);

        var taken = await first.DequeueAsync(TimeSpan.FromSeconds(1), TimeSpan.Zero);
        Assert.NotNull(taken);
        Assert.Null(await second.DequeueAsync(Lease, TimeSpan.Zero));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var again = await second.DequeueAsync(Lease, TimeSpan.Zero);

        Assert.Equal(item, again?.Item);
        Assert.Equal(2, again!.DequeueCount);
        await first.CompleteAsync(taken); // its receipt is stale now: ignored, the message stays with the second host
        await second.CompleteAsync(await second.ExtendAsync(again, Lease));
    }

    [Fact]
    public async Task EnqueueAsync_IdleLocalSlot_HandsTheItemToThisHostAndStorageRedeliversItIfNeverCompleted()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var lease = TimeSpan.FromSeconds(2);
        var local = new StorageQueueWorkQueue(storage.Account, lease, idleSlots: () => 1);
        var remote = new StorageQueueWorkQueue(storage.OpenAnother(), lease);
        var item = new StepWorkItem("run-1", "step-1", 1);

        await local.EnqueueAsync(item, TimeSpan.Zero);

        Assert.Equal(1, local.BufferedCount);
        Assert.Null(await remote.DequeueAsync(lease, TimeSpan.Zero));
        Assert.Equal(item, (await local.DequeueAsync(lease, TimeSpan.Zero))?.Item);
        Assert.Equal(0, local.BufferedCount);

        // This host "dies" before completing: the message comes back from storage after the lease.
        await Task.Delay(lease + TimeSpan.FromSeconds(0.5));
        var redelivered = await remote.DequeueAsync(Lease, TimeSpan.Zero);
        Assert.Equal(item, redelivered?.Item);
        await remote.CompleteAsync(redelivered!);
    }

    [Fact]
    public async Task DequeueAsync_WaitingWithEmptyStorage_WakesAsSoonAsThisHostEnqueues()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var queue = new StorageQueueWorkQueue(storage.Account, Lease, idleSlots: () => 1);
        var item = new StepWorkItem("run-1", "step-1", 1);

        var waiting = queue.DequeueAsync(Lease, TimeSpan.FromSeconds(20));
        await Task.Delay(300);
        var clock = Stopwatch.StartNew();
        await queue.EnqueueAsync(item, TimeSpan.Zero);
        var work = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(item, work?.Item);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DequeueAsync_SeveralReady_ReceivesUpToTheIdleSlotsAndBuffersTheRest()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var producer = new StorageQueueWorkQueue(storage.OpenAnother(), Lease);
        var consumer = new StorageQueueWorkQueue(storage.Account, Lease, idleSlots: () => 3);
        var items = Enumerable.Range(1, 3).Select(i => new StepWorkItem("run-1", $"step-{i}", 1)).ToList();
        foreach (var item in items)
        {
            await producer.EnqueueAsync(item, TimeSpan.Zero);
        }

        var received = new List<StepWorkItem> { (await consumer.DequeueAsync(Lease, TimeSpan.Zero))!.Item };
        Assert.Equal(2, consumer.BufferedCount);
        received.Add((await consumer.DequeueAsync(Lease, TimeSpan.Zero))!.Item);
        received.Add((await consumer.DequeueAsync(Lease, TimeSpan.Zero))!.Item);

        Assert.Equal(items.OrderBy(i => i.StepUuid), received.OrderBy(i => i.StepUuid));
        Assert.Null(await producer.DequeueAsync(Lease, TimeSpan.Zero));
    }

    [Fact]
    public async Task DequeueAsync_PoisonAndMalformedMessages_AreDeleted()
    {
        await using var storage = await TestStorage.CreateAsync(azurite, o => o.PoisonDequeueCount = 2);
        var queue = new StorageQueueWorkQueue(storage.Account, Lease);
        await storage.Account.StepsQueue.SendMessageAsync("not a work item");
        await queue.EnqueueAsync(new StepWorkItem("run-1", "step-1", 1), TimeSpan.Zero);

        var seen = 0;
        for (var i = 0; i < 6; i++)
        {
            seen += await queue.DequeueAsync(TimeSpan.FromSeconds(1), TimeSpan.Zero) is null ? 0 : 1;
            await Task.Delay(TimeSpan.FromSeconds(1.1));
        }

        Assert.Equal(2, seen);
        var properties = await storage.Account.StepsQueue.GetPropertiesAsync();
        Assert.Equal(0, properties.Value.ApproximateMessagesCount);
    }
}
