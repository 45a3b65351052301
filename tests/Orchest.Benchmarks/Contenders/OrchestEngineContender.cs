using System.Diagnostics;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;
using Orchest.Engine.Embedded;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Projects;
using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Orchest.Runners.Process;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// The engine in this process, composed as <c>orchest run</c> composes it (in-memory store and queue,
/// artifacts on disk), warm (no process start-up, no JIT): with the process runner it is the
/// engine-only figure; with the no-op runner it is the pure scheduling and bookkeeping cost.
/// </summary>
public sealed class OrchestEngineContender(bool noOpRunner, string? pythonSdkPath) : IContender
{
    public string Name => noOpRunner ? "orchest-engine-noop" : "orchest-engine";

    public string Description => noOpRunner
        ? "the engine in-process with a no-op step runner (scheduling and bookkeeping only)"
        : "the engine in-process with the process runner (no CLI start-up, warm JIT)";

    public string? Unavailable => null;
    public bool WarmUp => true;

    public bool Supports(IScenario scenario) => scenario.Kind == ScenarioKind.Dag;

    public async Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default)
    {
        OrchestProject.Write(workload, context.Directory);
        var clock = Stopwatch.StartNew();
        var project = new ProjectFolder(context.Directory);
        var read = project.ReadPipeline(OrchestProject.PipelineFile);
        var pipeline = read.Pipeline ?? throw new InvalidOperationException(string.Join("; ", read.Problems.Select(p => p.Message)));
        var graph = RunGraphBuilder.Build(pipeline, RunType.Full, []).Graph ?? throw new InvalidOperationException("no run graph");
        var plan = RunPlanner.Plan(new RunRequest { ProjectId = project.ProjectId, Workspace = project.Root }, pipeline, graph, DateTimeOffset.UtcNow);

        var completion = new RunCompletion();
        var logger = new ConflictCountingLogger();
        IStepRunner runner = noOpRunner
            ? new NoOpStepRunner()
            : new ProcessStepRunner(new ProcessRunnerOptions { Python = context.Interpreters.Python, Bash = context.Interpreters.Bash, PythonSdkPath = pythonSdkPath });
        var engine = new RunEngine(
            new InMemoryRunStore(), new InMemoryWorkQueue(), new LocalArtifactStore(project.OrchestDirectory), runner,
            new LocalWorkspaces(Path.Combine(context.Directory, ".data")),
            new EngineOptions { HostParallelism = context.Parallelism }, [completion], logger: logger);

        using var stop = new CancellationTokenSource();
        var worker = engine.Worker.RunAsync(stop.Token);
        await engine.SubmitAsync(plan, cancellationToken);
        await completion.WaitAsync(plan.Snapshot.Run.Id, cancellationToken).WaitAsync(context.Timeout, cancellationToken);
        await stop.CancelAsync();
        await worker;
        clock.Stop();

        var snapshot = (await engine.GetAsync(plan.Snapshot.Run.Id, cancellationToken))!;
        if (snapshot.Run.Status != ExecutionStatus.Success)
        {
            var failed = snapshot.Steps.FirstOrDefault(s => s.Status != ExecutionStatus.Success);
            throw new InvalidOperationException($"run ended {snapshot.Run.Status}: step {failed?.Title} {failed?.Message}");
        }

        var stepTime = snapshot.Steps.Aggregate(TimeSpan.Zero, (sum, s) => sum + (s.Finished!.Value - s.Started!.Value));
        return new Sample(clock.Elapsed, snapshot.Run.Finished - snapshot.Run.Started, stepTime, logger.Conflicts);
    }
}
