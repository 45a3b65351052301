using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Durable;

/// <summary>
/// What <see cref="RunStepActivity"/> does on this host: record that the attempt begins (which also
/// gives an execution of a dispatch whose earlier execution died with its host an attempt number of its
/// own), run it unless its run must stop, and report how it went. Only the orchestration decides what
/// the report means; an output set becomes the step's only when the orchestration accepts the report.
/// </summary>
public sealed class StepHost : IDisposable
{
    private readonly IRunProjection _projection;
    private readonly IRunDefinitions _definitions;
    private readonly StepAttempts _attempts;
    private readonly StepStopWatcher _watcher;
    private readonly StepHostOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _hostStopping = new();
    private readonly ConcurrentDictionary<string, Task<RunDefinition?>> _definitionCache = new(StringComparer.Ordinal);

    public StepHost(
        IRunProjection projection, IRunDefinitions definitions, StepAttempts attempts, StepStopWatcher watcher,
        StepHostOptions options, TimeProvider clock, ILogger<StepHost> logger)
    {
        _projection = projection;
        _definitions = definitions;
        _attempts = attempts;
        _watcher = watcher;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    public string HostId => _options.HostId;

    /// <summary>The host is shutting down: running steps stop and are reported as stopped by their host, so they run again elsewhere.</summary>
    public void Stopping() => _hostStopping.Cancel();

    public async Task<StepReport> RunAsync(StepAttemptInput input)
    {
        var (run, step) = (input.Run, input.Step);
        var started = _clock.GetUtcNow();
        var begun = await _projection.BeginAttemptAsync(run.Id, step.Uuid, step.Attempt, HostId, started);
        var (attempt, lostOn) = (begun.Attempt, begun.LostOn);
        if (lostOn.Count >= RunStateMachine.MaxLostAttempts)
        {
            return Report(step.Uuid, attempt, started, lostOn, StepOutcome.Failed(
                null, $"{lostOn.Count} executions of attempt {step.Attempt} were lost with their host ({string.Join(", ", lostOn)}); gave up"));
        }

        if (await _watcher.IsStoppingAsync(run.Id, _hostStopping.Token))
        {
            return Report(step.Uuid, attempt, started, lostOn, StepOutcome.Stopped("the run is ending"));
        }

        Logs.StepBegins(_logger, run.Id, step.Uuid, attempt, HostId);
        var definition = await _definitionCache.GetOrAdd(run.Id, id => _definitions.ReadAsync(id))
            ?? throw new RunNotFoundException(run.Id);
        if (input.Services is { Count: > 0 } services)
        {
            definition = RunServiceVariables.With(definition, run.PipelinePath, services);
        }

        var request = new StepAttemptRequest(run, step with { Attempt = attempt }, input.ParentOutputSets, definition);
        var outcome = await _attempts.RunAsync(request, _hostStopping.Token);
        if (outcome.Kind != StepOutcomeKind.Succeeded)
        {
            // A failed or stopped attempt's outputs can never become the step's.
            await _attempts.Artifacts.DiscardOutputSetAsync(
                new StepKey(run.ProjectId, run.PipelineUuid, step.Uuid), StepAttempts.OutputSetName(run.Id, attempt));
        }

        var hostStopped = outcome.Kind == StepOutcomeKind.Stopped && _hostStopping.IsCancellationRequested;
        return Report(step.Uuid, attempt, started, lostOn, outcome, hostStopped);
    }

    /// <summary>The run ended: its cached definition goes.</summary>
    public void Forget(string runId) => _definitionCache.TryRemove(runId, out _);

    public void Dispose() => _hostStopping.Dispose();

    private StepReport Report(string stepUuid, int attempt, DateTimeOffset started, IReadOnlyList<string> lostOn, StepOutcome outcome, bool hostStopped = false) =>
        new(attempt, HostId, started, _clock.GetUtcNow(), outcome, hostStopped, lostOn, stepUuid);
}
