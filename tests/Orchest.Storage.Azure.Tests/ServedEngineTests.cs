using System.Collections.Concurrent;
using System.Globalization;
using Orchest.Engine.Embedded;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Storage.Azure.Blobs;
using Orchest.Storage.Azure.Queues;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

/// <summary>
/// The shared engine on the Azure adapters, two "hosts" (each its own clients, queue buffer and
/// worker) on one account. Only the step runner is a test double: it passes data through the SAS
/// locations with plain HTTP, as the step SDKs do.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServedEngineTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RunEngine_TwoHostsOnOneAccount_RunReachesSuccessWithOutputsAndLogs()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        using var project = new TempProject("served");
        var runner = new SasRunner(TimeSpan.FromMilliseconds(500));
        var hosts = new[] { new Host(storage.Account, "host-a", runner, project), new Host(storage.OpenAnother(), "host-b", runner, project) };
        using var stop = new CancellationTokenSource();
        var workers = hosts.Select(h => h.Engine.Worker.RunAsync(stop.Token)).ToList();
        try
        {
            var builder = new PipelineBuilder("served").Shell("A").Shell("B", "A").Shell("C", "A");
            var plan = TestPlans.Plan(builder, workspace: project.Root);
            var runId = plan.Snapshot.Run.Id;

            await hosts[0].Engine.SubmitAsync(plan);
            var done = await WaitForEndAsync(hosts[1].Store, runId, TimeSpan.FromSeconds(60));

            Assert.Equal(ExecutionStatus.Success, done.Run.Status);
            Assert.All(done.Steps, s => Assert.Equal((ExecutionStatus.Success, 1), (s.Status, s.Attempt)));
            var artifacts = hosts[1].Artifacts;
            foreach (var (title, expected) in new[] { ("A", "1"), ("B", "2"), ("C", "2") })
            {
                var step = done.GetStep(builder.StepUuid(title));
                var key = new StepKey(done.Run.ProjectId, done.Run.PipelineUuid, step.Uuid);
                await using var payload = await artifacts.OpenOutputAsync(key, step.OutputSet!, null);
                Assert.Equal(expected, await new StreamReader(payload!).ReadToEndAsync());
                Assert.Equal(step.OutputSet, await artifacts.GetLatestOutputSetAsync(key));
                await using var log = await artifacts.ReadLogAsync(runId, step.Uuid);
                Assert.Contains($"{title} ran on host-", await new StreamReader(log!).ReadToEndAsync(), StringComparison.Ordinal);
            }

            // B and C became ready together while A's host had no idle slot: each host ran one of them.
            Assert.Equal(["host-a", "host-b"], runner.Hosts.Values.Distinct().Order());
            var events = await hosts[0].Store.GetEventsAsync(runId);
            Assert.All(done.Steps, s => Assert.Single(events, e => e.Type == RunEventTypes.StepSucceeded && e.StepUuid == s.Uuid));
            Assert.DoesNotContain(runId, await hosts[0].Store.ListActiveAsync());
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }
    }

    private static async Task<RunSnapshot> WaitForEndAsync(TableRunStore store, string runId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var snapshot = (await store.GetAsync(runId))!;
            if (snapshot.Run.Status.IsTerminal() || DateTime.UtcNow > deadline)
            {
                return snapshot;
            }

            await Task.Delay(100);
        }
    }

    private sealed class Host
    {
        public Host(OrchestStorageAccount account, string name, IStepRunner runner, TempProject project)
        {
            var options = new EngineOptions
            {
                WorkerId = name,
                HostParallelism = 1,
                LeaseDuration = TimeSpan.FromSeconds(10),
                LeaseRenewInterval = TimeSpan.FromSeconds(3),
                MaxIdleWait = TimeSpan.FromMilliseconds(200),
            };
            Store = new TableRunStore(account);
            Queue = new StorageQueueWorkQueue(account, options.LeaseDuration);
            Artifacts = new BlobArtifactStore(account);
            Engine = new RunEngine(Store, Queue, Artifacts, new HostRunner(runner, name), new LocalWorkspaces(Path.Combine(project.Root, "data")), options);
            Queue.IdleSlots = () => Engine.Worker.IdleSlots;
        }

        public TableRunStore Store { get; }
        public StorageQueueWorkQueue Queue { get; }
        public BlobArtifactStore Artifacts { get; }
        public RunEngine Engine { get; }
    }

    /// <summary>Tells the shared runner which host runs the step (through the log target's worker id).</summary>
    private sealed class HostRunner(IStepRunner inner, string host) : IStepRunner
    {
        public string Name => inner.Name;

        public Task<StepExit> RunAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken = default) =>
            inner.RunAsync(launch with { SessionType = host }, log, cancellationToken);
    }

    /// <summary>A step that outputs 1 + the sum of its inputs, reading and writing through the SAS locations.</summary>
    private sealed class SasRunner(TimeSpan work) : IStepRunner
    {
        public ConcurrentDictionary<string, string> Hosts { get; } = new();

        public string Name => "sas-test";

        public async Task<StepExit> RunAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken = default)
        {
            var host = launch.SessionType;
            Hosts[launch.StepTitle] = host;
            await log.WriteLineAsync($"{launch.StepTitle} ran on {host}", cancellationToken);
            var sum = 1;
            foreach (var input in launch.Context.Inputs)
            {
                var (status, body) = await SasHttp.GetAsync(input.Location!, "unnamed.data");
                Assert.Equal(System.Net.HttpStatusCode.OK, status);
                sum += int.Parse(body, CultureInfo.InvariantCulture);
            }

            await Task.Delay(work, cancellationToken);
            var text = sum.ToString(CultureInfo.InvariantCulture);
            await SasHttp.PutAsync(launch.Context.Output, "unnamed.data", text);
            await SasHttp.PutAsync(launch.Context.Output, "unnamed.meta.json", SasHttp.Meta(null, "JSON", text.Length));
            return new StepExit(0);
        }
    }
}
