using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Execution;

/// <summary>
/// The engine on one host: creates, starts and cancels runs, and owns the step worker. The same
/// class runs embedded (in-memory ports) and served (Azure Storage ports).
/// </summary>
public sealed class RunEngine
{
    private readonly EngineServices _services;

    public RunEngine(
        IRunStore store,
        IWorkQueue queue,
        IArtifactStore artifacts,
        IStepRunner runner,
        IRunWorkspaces workspaces,
        EngineOptions? options = null,
        IEnumerable<IRunObserver>? observers = null,
        TimeProvider? clock = null,
        ILogger<RunEngine>? logger = null)
    {
        _services = new EngineServices(
            store, queue, artifacts, runner, workspaces, (observers ?? []).ToList(),
            options ?? new EngineOptions(), clock ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        Worker = new StepWorker(_services);
    }

    public StepWorker Worker { get; }

    public EngineOptions Options => _services.Options;

    /// <summary>Creates the run and starts it: its first steps are queued when this returns.</summary>
    public async Task<RunSnapshot> SubmitAsync(RunPlan plan, CancellationToken cancellationToken = default)
    {
        await _services.Store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events, cancellationToken);
        var started = await _services.Committer.ApplyAsync(
            plan.Snapshot.Run.Id, RunStateMachine.Start, cancellationToken);
        return await _services.Store.GetAsync(plan.Snapshot.Run.Id, cancellationToken)
            ?? throw new RunNotFoundException(plan.Snapshot.Run.Id);
    }

    /// <summary>
    /// Creates the run and fails it at once with <paramref name="reason"/> (every step ABORTED): something
    /// it needs before its first step, such as a pipeline service, could not start.
    /// </summary>
    public async Task<RunSnapshot> SubmitFailedAsync(RunPlan plan, string reason, CancellationToken cancellationToken = default)
    {
        await _services.Store.CreateAsync(plan.Snapshot, plan.Definition, plan.Events, cancellationToken);
        await _services.Committer.ApplyAsync(plan.Snapshot.Run.Id, (s, now) => RunStateMachine.Fault(s, now, reason), cancellationToken);
        return await _services.Store.GetAsync(plan.Snapshot.Run.Id, cancellationToken)
            ?? throw new RunNotFoundException(plan.Snapshot.Run.Id);
    }

    /// <summary>Cancels a run: unfinished steps ABORTED, running ones stopped on whichever host runs them.</summary>
    /// <returns>False when the run had already ended.</returns>
    public async Task<bool> CancelAsync(string runId, string reason = "run cancelled", CancellationToken cancellationToken = default)
    {
        var result = await _services.Committer.ApplyAsync(
            runId, (s, now) => RunStateMachine.Cancel(s, now, reason), cancellationToken);
        if (result.Transition is { } cancelled)
        {
            await EmptyOutputSets.RemoveAsync(_services.Artifacts, cancelled.After());
        }

        return !result.IsRejected;
    }

    public Task<RunSnapshot?> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        _services.Store.GetAsync(runId, cancellationToken);

    /// <summary>Applies any state-machine decision (used by the reconciler and by tests).</summary>
    public Task<TransitionResult> ApplyAsync(
        string runId, Func<RunSnapshot, DateTimeOffset, TransitionResult> decide, CancellationToken cancellationToken = default) =>
        _services.Committer.ApplyAsync(runId, decide, cancellationToken);

    /// <summary>Steps running on this host now.</summary>
    public int RunningSteps => _services.Attempts.Running;
}
