using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orchest.Engine.Ports;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Execution;

/// <summary>
/// Runs step attempts on this host: builds each launch, streams its log, runs it with the configured
/// runner, keeps the files it left. Shared by the embedded worker and the durable step activity; the
/// run's state is not its business (the caller records the outcome).
/// </summary>
public sealed class StepAttempts
{
    private readonly IArtifactStore _artifacts;
    private readonly IStepRunner _runner;
    private readonly IRunWorkspaces _workspaces;
    private readonly StepLaunchFactory _launches;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string RunId, string StepUuid), CancellationTokenSource> _running = new();

    public StepAttempts(IArtifactStore artifacts, IStepRunner runner, IRunWorkspaces workspaces, ILogger logger)
    {
        _artifacts = artifacts;
        _runner = runner;
        _workspaces = workspaces;
        _launches = new StepLaunchFactory(artifacts, workspaces);
        _logger = logger;
    }

    /// <summary>Attempts running on this host now.</summary>
    public int Running => _running.Count;

    /// <summary>Runs whose steps run on this host now.</summary>
    public IReadOnlyCollection<string> RunningRuns => _running.Keys.Select(k => k.RunId).Distinct(StringComparer.Ordinal).ToList();

    public IArtifactStore Artifacts => _artifacts;

    /// <summary>The output set attempt <paramref name="attempt"/> of a run writes to (unique per run and attempt).</summary>
    public static string OutputSetName(string runId, int attempt) => $"{runId}-{attempt}";

    /// <summary>The run of an output set named by <see cref="OutputSetName"/>; null for a name of another form.</summary>
    public static string? RunOfOutputSet(string outputSet) =>
        outputSet.LastIndexOf('-') is > 0 and var dash
        && int.TryParse(outputSet.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? outputSet[..dash]
            : null;

    /// <summary>
    /// Runs the attempt to its end. A failure to prepare it (unreadable definition, disk full, a runner
    /// that throws) becomes a clean step failure. <paramref name="hostStopping"/> cancels it as well: the
    /// caller tells a stop of the host from a stop of the step by that token.
    /// </summary>
    public async Task<StepOutcome> RunAsync(StepAttemptRequest request, CancellationToken hostStopping)
    {
        var (run, step) = (request.Run, request.Step);
        using var execution = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);
        var key = (run.Id, step.Uuid);
        _running[key] = execution;
        try
        {
            return await RunRegisteredAsync(request, execution.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !execution.IsCancellationRequested)
        {
            Logs.RunnerFailed(_logger, run.Id, step.Uuid, step.Attempt, ex);
            return StepOutcome.Failed(null, $"Orchest could not run the step: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            return StepOutcome.Stopped("step stopped");
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<(string, string), CancellationTokenSource>(key, execution));
        }
    }

    /// <summary>Stops a step running here (TERM, then KILL after the runner's grace period); false when it does not run here.</summary>
    public bool Stop(string runId, string stepUuid)
    {
        if (!_running.TryGetValue((runId, stepUuid), out var execution))
        {
            return false;
        }

        try
        {
            execution.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Ended between lookup and cancel: nothing left to stop.
        }

        return true;
    }

    /// <summary>Stops every step of a run running here; returns how many were running.</summary>
    public int StopRun(string runId) =>
        _running.Keys.Where(k => k.RunId == runId).ToList().Count(k => Stop(k.RunId, k.StepUuid));

    /// <summary>The run ended: drops what this host cached for it and releases its working copy.</summary>
    public async Task ForgetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        _launches.Forget(runId);
        await _workspaces.ReleaseAsync(runId, cancellationToken);
    }

    private async Task<StepOutcome> RunRegisteredAsync(StepAttemptRequest request, CancellationToken stop)
    {
        var (run, step) = (request.Run, request.Step);
        var launch = await _launches.CreateAsync(request, stop);
        var target = new StepLogTarget(run.Id, run.ProjectId, run.PipelineUuid, step.Uuid, step.Title, step.Attempt);
        StepExit exit;
        await using (var log = await _artifacts.OpenLogAsync(target, stop))
        {
            try
            {
                exit = await _runner.RunAsync(launch, log, stop);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Logs.RunnerFailed(_logger, run.Id, step.Uuid, step.Attempt, ex);
                exit = new StepExit(-1, $"the {_runner.Name} runner failed: {ex.Message}");
            }
        }

        Logs.StepExited(_logger, run.Id, step.Uuid, step.Attempt, exit.ExitCode);
        await _artifacts.PublishStepFilesAsync(target, CancellationToken.None);
        if (exit.Stopped || stop.IsCancellationRequested)
        {
            return StepOutcome.Stopped(exit.Message ?? "step stopped");
        }

        return exit.ExitCode == 0
            ? StepOutcome.Succeeded(OutputSetName(run.Id, step.Attempt))
            : StepOutcome.Failed(exit.ExitCode, exit.Message ?? $"exited with code {exit.ExitCode}");
    }
}
