using System.Runtime.InteropServices;
using Orchest.Engine.Embedded;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Projects;
using Orchest.Engine.Runs;

namespace Orchest.Cli;

/// <summary>
/// Embedded runs: in-memory state and queue, artifacts under the project's .orchest folder, steps
/// as local processes or containers; one run, or several at once sharing the step slots (a parameter
/// grid). SIGINT and SIGTERM cancel the runs (every step process group or container is stopped) and
/// the command returns only once nothing of them is left running.
/// </summary>
internal sealed class EmbeddedSession
{
    private readonly ProjectFolder _project;
    private readonly string _dataDirectory;
    private readonly RunEngine _engine;
    private readonly RunCompletion _completion = new();

    public EmbeddedSession(ProjectFolder project, string dataDirectory, RunProgress progress, IStepRunner runner, int? parallelism)
        : this(project, dataDirectory, progress, progress.OnLogLine, runner, parallelism, logsPerRun: false)
    {
    }

    public EmbeddedSession(
        ProjectFolder project, string dataDirectory, IRunObserver observer, Action<StepLogTarget, string>? onLogLine, IStepRunner runner, int? parallelism, bool logsPerRun)
    {
        _project = project;
        _dataDirectory = dataDirectory;
        Artifacts = new LocalArtifactStore(project.OrchestDirectory, onLogLine: onLogLine, logsPerRun: logsPerRun);
        var options = new EngineOptions();
        if (parallelism is { } p)
        {
            options.HostParallelism = p;
        }

        _engine = new RunEngine(
            new InMemoryRunStore(), new InMemoryWorkQueue(), Artifacts, runner,
            new LocalWorkspaces(dataDirectory), options, [_completion, observer]);
    }

    public LocalArtifactStore Artifacts { get; }

    /// <summary>The pipeline services each run starts before its first step (docker runner); null when none.</summary>
    public RunServiceSessions? Services { get; init; }

    public async Task<RunSnapshot> RunAsync(RunPlan plan, RunProgress progress) =>
        (await RunAllAsync([plan], progress.Write))[0];

    /// <summary>Runs every plan at once (their steps share this machine's step slots) and waits for them all.</summary>
    public async Task<IReadOnlyList<RunSnapshot>> RunAllAsync(IReadOnlyList<RunPlan> plans, Action<string> say)
    {
        PrepareFolders();
        using var stopWorker = new CancellationTokenSource();
        var worker = _engine.Worker.RunAsync(stopWorker.Token);
        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref signals) == 1)
            {
                say($"Received {context.Signal}: stopping {(plans.Count == 1 ? "the run" : "the runs")} (steps get TERM, then KILL).");
                foreach (var plan in plans)
                {
                    _ = _engine.CancelAsync(plan.Snapshot.Run.Id, $"cancelled by {context.Signal}");
                }
            }
        }

        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal))
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal))
        {
            try
            {
                foreach (var plan in plans)
                {
                    await SubmitAsync(plan, say);
                }

                await Task.WhenAll(plans.Select(async p =>
                {
                    await _completion.WaitAsync(p.Snapshot.Run.Id);
                    await (Services?.StopAsync(p.Snapshot.Run.Id) ?? Task.CompletedTask);
                }));
            }
            finally
            {
                // However the runs ended (or the session failed), no service outlives them.
                await (Services?.DisposeAsync() ?? ValueTask.CompletedTask);
            }

            await stopWorker.CancelAsync();
            await worker;
        }

        var snapshots = new List<RunSnapshot>();
        foreach (var plan in plans)
        {
            snapshots.Add((await _engine.GetAsync(plan.Snapshot.Run.Id))!);
        }

        return snapshots;
    }

    /// <summary>Starts the run's services first; a service that cannot start fails the run before any step.</summary>
    private async Task SubmitAsync(RunPlan plan, Action<string> say)
    {
        if (Services is null)
        {
            await _engine.SubmitAsync(plan);
            return;
        }

        var (prepared, failure) = await Services.StartAsync(plan, say);
        if (failure is not null)
        {
            await _engine.SubmitFailedAsync(plan, failure);
            return;
        }

        await _engine.SubmitAsync(prepared);
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
