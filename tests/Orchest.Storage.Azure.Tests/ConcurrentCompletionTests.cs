using Orchest.Engine.Embedded;
using Orchest.Engine.Execution;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

/// <summary>
/// Many siblings finishing at once: each result goes through the engine's read-decide-commit loop on
/// its own store instance (its own clients, as on separate hosts). Without the run row's ETag check
/// two completions could both miss (or both see) "all parents succeeded" and the child would start
/// never or twice, and one result could overwrite another.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConcurrentCompletionTests(AzuriteFixture azurite)
{
    private const int Siblings = 20;

    [Fact]
    public async Task ApplyAsync_TwentySiblingsCompleteConcurrently_CommonChildDispatchedExactlyOnce()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var setup = new TableRunStore(storage.Account);
        var builder = TestPlans.FanOut(Siblings, fanIn: true);
        var plan = TestPlans.Plan(builder);
        var runId = plan.Snapshot.Run.Id;
        await setup.CreateAsync(plan.Snapshot, plan.Definition, plan.Events);
        await StoreSteps.StartAsync(setup, runId);
        await StoreSteps.ClaimAsync(setup, runId, builder.StepUuid("R"));
        await StoreSteps.SucceedAsync(setup, runId, builder.StepUuid("R"));
        var siblings = Enumerable.Range(0, Siblings).Select(i => builder.StepUuid($"C{i}")).ToList();
        for (var i = 0; i < Siblings; i++)
        {
            await StoreSteps.ClaimAsync(setup, runId, siblings[i], owner: $"host-{i}");
        }

        using var project = new TempProject("concurrent");
        var queues = Enumerable.Range(0, Siblings).Select(_ => new RecordingWorkQueue()).ToList();
        var engines = Enumerable.Range(0, Siblings).Select(i => new RunEngine(
            new TableRunStore(storage.OpenAnother()), queues[i], new LocalArtifactStore(project.OrchestDirectory),
            new NoRunner(), new LocalWorkspaces(project.Root), new EngineOptions { WorkerId = $"host-{i}" })).ToList();
        using var go = new ManualResetEventSlim();
        var completions = Enumerable.Range(0, Siblings).Select(i => Task.Run(async () =>
        {
            go.Wait();
            var item = new StepWorkItem(runId, siblings[i], 1);
            return await engines[i].ApplyAsync(runId, (s, now) =>
                RunStateMachine.Complete(s, item, $"host-{i}", StepOutcome.Succeeded($"{runId}-{i}"), now));
        })).ToList();
        go.Set();
        var results = await Task.WhenAll(completions);

        Assert.All(results, r => Assert.False(r.IsRejected, r.Rejection));
        var fanIn = builder.StepUuid("J");
        var dispatches = queues.SelectMany(q => q.Enqueued).ToList();
        Assert.Equal([new StepWorkItem(runId, fanIn, 1)], dispatches);

        var after = (await setup.GetAsync(runId))!;
        for (var i = 0; i < Siblings; i++)
        {
            var step = after.GetStep(siblings[i]);
            Assert.Equal(ExecutionStatus.Success, step.Status);
            Assert.Equal($"{runId}-{i}", step.OutputSet);
        }

        Assert.True(after.GetStep(fanIn).Dispatched);
        var events = await setup.GetEventsAsync(runId);
        Assert.All(siblings, uuid => Assert.Single(events, e => e.Type == RunEventTypes.StepSucceeded && e.StepUuid == uuid));
    }

    private sealed class NoRunner : Orchest.Engine.Ports.IStepRunner
    {
        public string Name => "none";

        public Task<Orchest.Engine.Ports.StepExit> RunAsync(Orchest.Engine.Ports.StepLaunch launch, Orchest.Engine.Ports.IStepLog log, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("no step runs in this test");
    }
}
