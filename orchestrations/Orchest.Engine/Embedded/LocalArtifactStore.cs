using Orchest.Engine.Ports;
using Orchest.Engine.Projects;
using Orchest.Engine.Runs;

namespace Orchest.Engine.Embedded;

/// <summary>
/// Output sets, logs and executed notebooks on disk under a project's <c>.orchest/</c> folder
/// (PROTOCOL.md §4): <c>pipelines/&lt;pipeline&gt;/data/&lt;step&gt;/&lt;set&gt;/</c> with a <c>LATEST</c> pointer,
/// and <c>pipelines/&lt;pipeline&gt;/logs/&lt;step&gt;.log</c> (Orchest's log path). With <paramref name="logsPerRun"/>
/// (several runs of one pipeline at once, e.g. a parameter grid) logs and executed notebooks go to
/// <c>runs/&lt;run&gt;/logs/&lt;step&gt;.log</c> instead, so runs do not write into each other's.
/// </summary>
public sealed class LocalArtifactStore(
    string orchestDirectory, int retainedOutputSets = 1, Action<StepLogTarget, string>? onLogLine = null, bool logsPerRun = false)
    : IArtifactStore
{
    private const string LatestFile = "LATEST";
    private const string HistoryFile = "COMMITTED";

    public string OrchestDirectory { get; } = Path.GetFullPath(orchestDirectory);

    public Task<StepLocation> PrepareOutputSetAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default)
    {
        var path = SetPath(key.PipelineUuid, key.StepUuid, outputSet);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return Task.FromResult(StepLocation.Directory(path));
    }

    public StepLocation LocateOutputSet(StepKey key, string outputSet) =>
        StepLocation.Directory(SetPath(key.PipelineUuid, key.StepUuid, outputSet));

    /// <remarks>Embedded runs prune by count alone: <paramref name="readerRunId"/> changes nothing here.</remarks>
    public async Task<string?> GetLatestOutputSetAsync(StepKey key, string? readerRunId = null, CancellationToken cancellationToken = default)
    {
        var latest = Path.Combine(StepDataPath(key.PipelineUuid, key.StepUuid), LatestFile);
        if (!File.Exists(latest))
        {
            return null;
        }

        var name = (await File.ReadAllTextAsync(latest, cancellationToken)).Trim();
        return name.Length > 0 && Directory.Exists(SetPath(key.PipelineUuid, key.StepUuid, name)) ? name : null;
    }

    public async Task CommitLatestAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default)
    {
        var stepData = StepDataPath(key.PipelineUuid, key.StepUuid);
        await AtomicFile.WriteAllTextAsync(Path.Combine(stepData, LatestFile), outputSet + "\n", cancellationToken);

        // Committed sets, oldest first; sets beyond the retention are deleted. Sets never committed
        // (another run's attempt still writing) are not in this list and are never touched here.
        var historyPath = Path.Combine(stepData, HistoryFile);
        var history = File.Exists(historyPath)
            ? (await File.ReadAllLinesAsync(historyPath, cancellationToken)).Where(l => l.Length > 0 && l != outputSet).ToList()
            : [];
        history.Add(outputSet);
        var excess = history.Count - (1 + Math.Max(0, retainedOutputSets));
        foreach (var old in history.Take(Math.Max(0, excess)).ToList())
        {
            TryDelete(new DirectoryInfo(SetPath(key.PipelineUuid, key.StepUuid, old)));
            history.Remove(old);
        }

        await AtomicFile.WriteAllTextAsync(historyPath, string.Join('\n', history) + "\n", cancellationToken);
    }

    /// <remarks>A set removed meanwhile holds nothing: a run's end removes its empty sets while a step that succeeded just before may still ask.</remarks>
    public Task<bool> HasOutputsAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default)
    {
        var path = SetPath(key.PipelineUuid, key.StepUuid, outputSet);
        try
        {
            return Task.FromResult(Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any());
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult(false);
        }
    }

    public async Task<IReadOnlySet<StepCommit>> WithOutputsAsync(
        string projectId, string pipelineUuid, IReadOnlyList<StepCommit> sets, CancellationToken cancellationToken = default)
    {
        var found = new HashSet<StepCommit>();
        foreach (var set in sets)
        {
            if (await HasOutputsAsync(new StepKey(projectId, pipelineUuid, set.StepUuid), set.OutputSet, cancellationToken))
            {
                found.Add(set);
            }
        }

        return found;
    }

    /// <remarks>Idempotent, also against another removal of the same set at the same time.</remarks>
    public Task DiscardOutputSetAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default)
    {
        var path = SetPath(key.PipelineUuid, key.StepUuid, outputSet);
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Removed by the other one.
        }

        return Task.CompletedTask;
    }

    public Task<IStepLog> OpenLogAsync(StepLogTarget target, CancellationToken cancellationToken = default)
    {
        var path = LogPath(target.RunId, target.PipelineUuid, target.StepUuid);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var log = new LocalStepLog(path, append: target.Attempt > 1, line => onLogLine?.Invoke(target, line));
        if (target.Attempt > 1)
        {
            log.WriteSeparator($"--- attempt {target.Attempt} ---");
        }

        return Task.FromResult<IStepLog>(log);
    }

    public string ExecutedNotebookPath(StepLogTarget target) =>
        Path.ChangeExtension(LogPath(target.RunId, target.PipelineUuid, target.StepUuid), ".ipynb");

    /// <summary>Embedded mode: the runner already wrote the executed notebook beside the log.</summary>
    public Task PublishStepFilesAsync(StepLogTarget target, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public string LogPath(string pipelineUuid, string stepUuid) =>
        Path.Combine(OrchestDirectory, "pipelines", pipelineUuid, "logs", stepUuid + ".log");

    /// <summary>Where a run's step log is: Orchest's path, or the run's own with logs per run.</summary>
    public string LogPath(string runId, string pipelineUuid, string stepUuid) =>
        logsPerRun ? Path.Combine(OrchestDirectory, "runs", runId, "logs", stepUuid + ".log") : LogPath(pipelineUuid, stepUuid);

    private string StepDataPath(string pipelineUuid, string stepUuid) =>
        Path.Combine(OrchestDirectory, "pipelines", pipelineUuid, "data", stepUuid);

    private string SetPath(string pipelineUuid, string stepUuid, string outputSet) =>
        Path.Combine(StepDataPath(pipelineUuid, stepUuid), outputSet);

    private static void TryDelete(DirectoryInfo dir)
    {
        try
        {
            if (dir.Exists)
            {
                dir.Delete(recursive: true);
            }
        }
        catch (IOException)
        {
            // In use by a reader on this machine; a later commit prunes it.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
