using System.Runtime.InteropServices;
using Orchest.Engine.Embedded;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Projects;
using Orchest.Engine.Runs;

namespace Orchest.Cli;

/// <summary>
/// One embedded run: in-memory state and queue, artifacts under the project's .orchest folder, steps
/// as local processes or containers. SIGINT and SIGTERM cancel the run (every step process group or
/// container is stopped) and the command returns only once nothing of the run is left running.
/// </summary>
internal sealed class EmbeddedSession
{
    private readonly ProjectFolder _project;
    private readonly string _dataDirectory;
    private readonly RunEngine _engine;
    private readonly RunCompletion _completion = new();

    public EmbeddedSession(ProjectFolder project, string dataDirectory, RunProgress progress, IStepRunner runner, int? parallelism)
    {
        _project = project;
        _dataDirectory = dataDirectory;
        Artifacts = new LocalArtifactStore(project.OrchestDirectory, onLogLine: progress.OnLogLine);
        var options = new EngineOptions();
        if (parallelism is { } p)
        {
            options.HostParallelism = p;
        }

        _engine = new RunEngine(
            new InMemoryRunStore(), new InMemoryWorkQueue(), Artifacts, runner,
            new LocalWorkspaces(dataDirectory), options, [_completion, progress]);
    }

    public LocalArtifactStore Artifacts { get; }

    public async Task<RunSnapshot> RunAsync(RunPlan plan, RunProgress progress)
    {
        PrepareFolders();
        using var stopWorker = new CancellationTokenSource();
        var worker = _engine.Worker.RunAsync(stopWorker.Token);
        var runId = plan.Snapshot.Run.Id;
        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref signals) == 1)
            {
                progress.Write($"Received {context.Signal}: stopping the run (steps get TERM, then KILL).");
                _ = _engine.CancelAsync(runId, $"cancelled by {context.Signal}");
            }
        }

        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal))
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal))
        {
            await _engine.SubmitAsync(plan);
            await _completion.WaitAsync(runId);
            await stopWorker.CancelAsync();
            await worker;
        }

        return (await _engine.GetAsync(runId))!;
    }

    /// <summary>Runtime folders are git-ignored, as Orchest's project template did.</summary>
    private void PrepareFolders()
    {
        var orchest = _project.OrchestDirectory;
        Directory.CreateDirectory(orchest);
        var gitignore = Path.Combine(orchest, ".gitignore");
        if (!File.Exists(gitignore))
        {
            File.WriteAllText(gitignore, "pipelines/*/logs/\npipelines/*/data/\nruns/\ndata/\n");
        }

        foreach (var folder in new[] { Path.Combine(orchest, "runs"), _dataDirectory })
        {
            Directory.CreateDirectory(folder);
            var ignore = Path.Combine(folder, ".gitignore");
            if (folder.StartsWith(orchest, StringComparison.Ordinal) && !File.Exists(ignore))
            {
                File.WriteAllText(ignore, "*\n");
            }
        }
    }
}
