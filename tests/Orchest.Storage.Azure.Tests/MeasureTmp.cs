using System.Diagnostics;
using Orchest.Engine.Scheduling;
using Orchest.Storage.Azure.Queues;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class MeasureTmp(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Measure()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunStore(storage.Account);
        var builder = TestPlans.Chain("A", "B");
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        await store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        await StoreSteps.StartAsync(store, runId);
        var a = builder.StepUuid("A");
        await StoreSteps.ClaimAsync(store, runId, a);
        var commit = new List<double>(); var get = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var sw = Stopwatch.StartNew();
            var s = (await store.GetAsync(runId))!;
            get.Add(sw.Elapsed.TotalMilliseconds);
            var t = RunStateMachine.RenewLease(s, a, 1, "w1", DateTimeOffset.UtcNow.AddMinutes(5), DateTimeOffset.UtcNow).Transition!;
            sw.Restart();
            Assert.True(await store.TryCommitAsync(t));
            commit.Add(sw.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"get (2-step run) median {Median(get):0.0} ms; commit median {Median(commit):0.0} ms p90 {P(commit, 0.9):0.0}");

        var big = TestPlans.FanOut(1000);
        var bigPlan = TestPlans.Plan(big);
        var sw2 = Stopwatch.StartNew();
        await store.CreateAsync(bigPlan.Snapshot, bigPlan.Definition, bigPlan.Events);
        output.WriteLine($"create 1001-step run {sw2.Elapsed.TotalMilliseconds:0} ms");
        await StoreSteps.StartAsync(store, bigPlan.Snapshot.Run.Id);
        var claimed = await StoreSteps.ClaimAsync(store, bigPlan.Snapshot.Run.Id, big.StepUuid("R"));
        sw2.Restart();
        var got = (await store.GetAsync(bigPlan.Snapshot.Run.Id))!;
        output.WriteLine($"get 1001-step run {sw2.Elapsed.TotalMilliseconds:0} ms");
        var ct = RunStateMachine.Complete(got, new StepWorkItem(bigPlan.Snapshot.Run.Id, big.StepUuid("R"), 1), "w1", StepOutcome.Succeeded("x"), DateTimeOffset.UtcNow).Transition!;
        sw2.Restart();
        Assert.True(await store.TryCommitAsync(ct));
        output.WriteLine($"commit 1000-dispatch (intent) {sw2.Elapsed.TotalMilliseconds:0} ms");

        var queue = new StorageQueueWorkQueue(storage.Account, TimeSpan.FromSeconds(30));
        var enq = new List<double>(); var deq = new List<double>(); var total = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var sw = Stopwatch.StartNew();
            await queue.EnqueueAsync(new StepWorkItem("r", "s", i + 1), TimeSpan.Zero);
            enq.Add(sw.Elapsed.TotalMilliseconds);
            var t0 = sw.Elapsed.TotalMilliseconds;
            var w = await queue.DequeueAsync(TimeSpan.FromSeconds(30), TimeSpan.Zero);
            deq.Add(sw.Elapsed.TotalMilliseconds - t0);
            total.Add(sw.Elapsed.TotalMilliseconds);
            await queue.CompleteAsync(w!);
        }
        output.WriteLine($"queue storage path: enqueue {Median(enq):0.0} ms, dequeue {Median(deq):0.0} ms, enqueue->dequeued {Median(total):0.0} ms");
        var fast = new StorageQueueWorkQueue(storage.Account, TimeSpan.FromSeconds(30), () => 4);
        total.Clear();
        for (var i = 0; i < 100; i++)
        {
            var sw = Stopwatch.StartNew();
            await fast.EnqueueAsync(new StepWorkItem("r", "s", i + 1), TimeSpan.Zero);
            var w = await fast.DequeueAsync(TimeSpan.FromSeconds(30), TimeSpan.Zero);
            total.Add(sw.Elapsed.TotalMilliseconds);
            await fast.CompleteAsync(w!);
        }
        output.WriteLine($"queue fast path: enqueue->dequeued {Median(total):0.0} ms");
    }

    private static double Median(List<double> v) => P(v, 0.5);
    private static double P(List<double> v, double p) { var s = v.Order().ToList(); return s[(int)(p * (s.Count - 1))]; }
}
