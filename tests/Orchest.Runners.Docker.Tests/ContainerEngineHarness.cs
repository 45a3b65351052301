using Orchest.Engine.Embedded;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

/// <summary>The embedded engine over a temp project with any step runner (like the engine tests' harness), for runs through containers.</summary>
internal sealed class ContainerEngineHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private readonly RunCompletion _completion = new();

    public ContainerEngineHarness(IStepRunner runner)
    {
        Project = new TempProject("docker");
        Artifacts = new LocalArtifactStore(Project.OrchestDirectory);
        Engine = new RunEngine(
            new InMemoryRunStore(), new InMemoryWorkQueue(), Artifacts, runner,
            new LocalWorkspaces(Path.Combine(Project.Root, "data")),
            new EngineOptions(),
            [_completion]);
        _worker = Engine.Worker.RunAsync(_stop.Token);
    }

    public TempProject Project { get; }
    public LocalArtifactStore Artifacts { get; }
    public RunEngine Engine { get; }

    /// <summary>Submits a full run of <paramref name="builder"/>; returns its id at once.</summary>
    public async Task<string> StartAsync(PipelineBuilder builder)
    {
        Project.WritePipeline(builder);
        var read = PipelineFile.Parse(builder.ToJson(), "main.orchest");
        var graph = RunGraphBuilder.Build(read.Pipeline!, RunType.Full, []).Graph!;
        var request = new RunRequest { ProjectId = "p", Workspace = Project.Root };
        var plan = RunPlanner.Plan(request, read.Pipeline!, graph, DateTimeOffset.UtcNow);
        await Engine.SubmitAsync(plan);
        return plan.Snapshot.Run.Id;
    }

    public async Task<RunSnapshot> WaitAsync(string runId)
    {
        await _completion.WaitAsync(runId).WaitAsync(TimeSpan.FromMinutes(3));
        return (await Engine.GetAsync(runId))!;
    }

    public async Task<RunSnapshot> RunAsync(PipelineBuilder builder) => await WaitAsync(await StartAsync(builder));

    public string Log(PipelineBuilder builder, string title) => File.ReadAllText(Artifacts.LogPath(builder.Uuid, builder.StepUuid(title)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _worker;
        _stop.Dispose();
        Project.Dispose();
    }
}
