using System.Collections.Concurrent;
using Orchest.Engine.Embedded;
using Orchest.Engine.Execution;
using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Orchest.Runners.Process;
using Orchest.Testing;

namespace Orchest.Runners.Tests;

/// <summary>The embedded engine over a temp project with the real process runner, step logs kept by step title.</summary>
internal sealed class ProcessEngineHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private readonly RunCompletion _completion = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _logs = new(StringComparer.Ordinal);

    public ProcessEngineHarness(ProcessRunnerOptions options)
    {
        Project = new TempProject("csharp-engine");
        Artifacts = new LocalArtifactStore(Project.OrchestDirectory, onLogLine: (target, line) =>
            _logs.GetOrAdd(target.StepTitle, _ => new ConcurrentQueue<string>()).Enqueue(line));
        Engine = new RunEngine(
            new InMemoryRunStore(), new InMemoryWorkQueue(), Artifacts, new ProcessStepRunner(options),
            new LocalWorkspaces(Path.Combine(Project.Root, "data")),
            new EngineOptions(), [_completion]);
        _worker = Engine.Worker.RunAsync(_stop.Token);
    }

    public TempProject Project { get; }
    public LocalArtifactStore Artifacts { get; }
    public RunEngine Engine { get; }

    /// <summary>The log lines of the step titled <paramref name="title"/>, over every run so far.</summary>
    public IReadOnlyList<string> Log(string title) => _logs.TryGetValue(title, out var lines) ? lines.ToList() : [];

    public async Task<RunSnapshot> RunAsync(PipelineBuilder builder)
    {
        Project.WritePipeline(builder);
        var read = PipelineFile.Parse(builder.ToJson(), "main.orchest");
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => p.Message)));
        var graph = RunGraphBuilder.Build(read.Pipeline!, RunType.Full, []).Graph!;
        var request = new RunRequest { ProjectId = "p", Workspace = Project.Root, RunType = RunType.Full };
        var plan = RunPlanner.Plan(request, read.Pipeline!, graph, DateTimeOffset.UtcNow);
        await Engine.SubmitAsync(plan);
        await _completion.WaitAsync(plan.Snapshot.Run.Id).WaitAsync(TimeSpan.FromMinutes(3));
        return (await Engine.GetAsync(plan.Snapshot.Run.Id))!;
    }

    /// <summary>The folder of the committed output set of a step (PROTOCOL.md §4).</summary>
    public string OutputSetDirectory(PipelineBuilder builder, RunSnapshot run, string title) =>
        Path.Combine(Project.OrchestDirectory, "pipelines", builder.Uuid, "data", builder.StepUuid(title),
            run.GetStep(builder.StepUuid(title)).OutputSet!);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _worker;
        _stop.Dispose();
        Project.Dispose();
    }
}
