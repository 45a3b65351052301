using Orchest.Engine.Embedded;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Orchest.Testing;

namespace Orchest.Engine.Tests;

/// <summary>The embedded engine over a temp project, with any step runner.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private readonly RunCompletion _completion = new();

    public EngineHarness(IStepRunner runner, int hostParallelism = 0)
    {
        Project = new TempProject("engine");
        Store = new InMemoryRunStore();
        Engine = new RunEngine(
            Store, new InMemoryWorkQueue(), new LocalArtifactStore(Project.OrchestDirectory), runner,
            new LocalWorkspaces(Path.Combine(Project.Root, "data")),
            new EngineOptions { HostParallelism = hostParallelism },
            [_completion]);
        _worker = Engine.Worker.RunAsync(_stop.Token);
    }

    public TempProject Project { get; }
    public InMemoryRunStore Store { get; }
    public RunEngine Engine { get; }

    public async Task<RunSnapshot> RunAsync(PipelineBuilder builder, RunType runType = RunType.Full, params string[] steps)
    {
        Project.WritePipeline(builder);
        var read = PipelineFile.Parse(builder.ToJson(), "main.orchest");
        var graph = RunGraphBuilder.Build(read.Pipeline!, runType, steps.Select(builder.StepUuid).ToList()).Graph!;
        var request = new RunRequest { ProjectId = "p", Workspace = Project.Root, RunType = runType };
        var plan = RunPlanner.Plan(request, read.Pipeline!, graph, DateTimeOffset.UtcNow);
        await Engine.SubmitAsync(plan);
        await _completion.WaitAsync(plan.Snapshot.Run.Id).WaitAsync(TimeSpan.FromMinutes(2));
        return (await Engine.GetAsync(plan.Snapshot.Run.Id))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _worker;
        _stop.Dispose();
        Project.Dispose();
    }
}
