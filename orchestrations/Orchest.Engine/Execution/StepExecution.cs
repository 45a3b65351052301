using System.Runtime.CompilerServices;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Execution;

/// <summary>One work item, start to end: claim, prepare, run under a renewed lease, commit the result.</summary>
internal sealed class StepExecution(EngineServices services)
{
    public async Task ExecuteAsync(QueuedWork work, CancellationToken stopping)
    {
        var item = work.Item;
        var options = services.Options;
        var claim = await TryClaimAsync(item, stopping);
        if (claim?.Transition is not { } claimed)
        {
            Logs.MessageDropped(services.Logger, item.RunId, item.StepUuid, item.Attempt, claim?.Rejection ?? "run not found");
            await services.Queue.CompleteAsync(work, stopping);
            return;
        }

        var step = claimed.ChangedSteps.Single();
        var snapshot = claimed.Before;
        Logs.StepStarted(services.Logger, item.RunId, item.StepUuid, item.Attempt, options.WorkerId);
        var outputSet = StepLaunchFactory.OutputSetName(item.RunId, item.Attempt);
        var stepKey = new StepKey(snapshot.Run.ProjectId, snapshot.Run.PipelineUuid, item.StepUuid);

        StepOutcome outcome;
        var handle = new StrongBox<QueuedWork>(work);
        var execution = services.Executions.Register(item.RunId, item.StepUuid, stopping);
        try
        {
            outcome = await RunAsync(handle, snapshot, step, execution, stopping);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // Preparing the step failed (unreadable definition, disk full, ...): the step fails
            // cleanly instead of leaving the run waiting for a result that never comes.
            Logs.RunnerFailed(services.Logger, item.RunId, item.StepUuid, item.Attempt, ex);
            outcome = StepOutcome.Failed(null, $"Orchest could not run the step: {ex.Message}");
        }
        finally
        {
            services.Executions.Unregister(item.RunId, item.StepUuid);
            execution.Dispose();
        }

        if (outcome.Kind == StepOutcomeKind.Stopped && stopping.IsCancellationRequested)
        {
            // This host is shutting down, not the run: leave the message and the lease to expire so
            // another worker runs the step again.
            Logs.StepAbandoned(services.Logger, item.RunId, item.StepUuid, item.Attempt);
            return;
        }

        // The result must not be lost to a shutdown that starts now: commit without the host token.
        var completion = await services.Committer.ApplyAsync(
            item.RunId,
            (s, now) => RunStateMachine.Complete(s, item, options.WorkerId, outcome, now),
            CancellationToken.None);
        if (completion.IsRejected)
        {
            Logs.ResultRejected(services.Logger, item.RunId, item.StepUuid, item.Attempt, completion.Rejection!);
        }

        var committed = !completion.IsRejected
                        || (outcome.Kind == StepOutcomeKind.Succeeded && await LandedAnywayAsync(item, outputSet));
        if (committed && outcome.Kind == StepOutcomeKind.Succeeded)
        {
            await services.Artifacts.CommitLatestAsync(stepKey, outputSet, CancellationToken.None);
        }
        else
        {
            await services.Artifacts.DiscardOutputSetAsync(stepKey, outputSet, CancellationToken.None);
        }

        await services.Queue.CompleteAsync(handle.Value!, CancellationToken.None);
        if (completion.Transition?.Run.Status.IsTerminal() == true)
        {
            services.Launches.Forget(item.RunId);
            await services.Workspaces.ReleaseAsync(item.RunId, CancellationToken.None);
        }
    }

    /// <summary>
    /// A commit reported as lost can still have landed (a storage retry of a transaction that did apply
    /// answers 412): if the run already records this attempt's output set, the outputs must stay.
    /// </summary>
    private async Task<bool> LandedAnywayAsync(StepWorkItem item, string outputSet) =>
        await services.Store.GetAsync(item.RunId, CancellationToken.None) is { } snapshot
        && snapshot.FindStep(item.StepUuid) is { Status: ExecutionStatus.Success } step
        && step.OutputSet == outputSet;

    private async Task<TransitionResult?> TryClaimAsync(StepWorkItem item, CancellationToken stopping)
    {
        var lease = services.Options.LeaseDuration;
        try
        {
            return await services.Committer.ApplyAsync(
                item.RunId,
                (s, now) => RunStateMachine.Claim(s, item, services.Options.WorkerId, now + lease, now),
                stopping);
        }
        catch (RunNotFoundException)
        {
            return null;
        }
    }

    private async Task<StepOutcome> RunAsync(
        StrongBox<QueuedWork> handle, RunSnapshot snapshot, StepRecord step, CancellationTokenSource execution, CancellationToken stopping)
    {
        var item = handle.Value!.Item;
        var definition = await services.Store.GetDefinitionAsync(item.RunId, stopping)
            ?? throw new RunNotFoundException(item.RunId);
        var launch = await services.Launches.CreateAsync(snapshot, step, definition, stopping);
        var target = new StepLogTarget(item.RunId, snapshot.Run.ProjectId, snapshot.Run.PipelineUuid, step.Uuid, step.Title, step.Attempt);
        await using var log = await services.Artifacts.OpenLogAsync(target, stopping);

        using var renewalStop = new CancellationTokenSource();
        var renewal = RenewWhileRunningAsync(handle, execution, renewalStop.Token);
        StepExit exit;
        try
        {
            exit = await services.Runner.RunAsync(launch, log, execution.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logs.RunnerFailed(services.Logger, item.RunId, item.StepUuid, item.Attempt, ex);
            exit = new StepExit(-1, $"the {services.Runner.Name} runner failed: {ex.Message}");
        }
        finally
        {
            await renewalStop.CancelAsync();
            await renewal;
        }

        Logs.StepExited(services.Logger, item.RunId, item.StepUuid, item.Attempt, exit.ExitCode);
        await services.Artifacts.PublishStepFilesAsync(target, CancellationToken.None);
        if (exit.Stopped || execution.IsCancellationRequested)
        {
            return StepOutcome.Stopped(exit.Message ?? "step stopped");
        }

        return exit.ExitCode == 0
            ? StepOutcome.Succeeded(StepLaunchFactory.OutputSetName(item.RunId, item.Attempt))
            : StepOutcome.Failed(exit.ExitCode, exit.Message ?? $"exited with code {exit.ExitCode}");
    }

    /// <summary>Keeps the step's lease and queue message alive; stops the step when the lease is lost (aborted elsewhere).</summary>
    private async Task RenewWhileRunningAsync(StrongBox<QueuedWork> handle, CancellationTokenSource execution, CancellationToken done)
    {
        if (services.Options.LeaseRenewInterval is not { } interval)
        {
            return;
        }

        var item = handle.Value!.Item;
        var lease = services.Options.LeaseDuration;
        try
        {
            while (!done.IsCancellationRequested)
            {
                await Task.Delay(interval, services.Clock, done);
                handle.Value = await services.Queue.ExtendAsync(handle.Value!, lease, done);
                var renewed = await services.Committer.ApplyAsync(
                    item.RunId,
                    (s, now) => RunStateMachine.RenewLease(s, item.StepUuid, item.Attempt, services.Options.WorkerId, now + lease, now),
                    done);
                if (renewed.IsRejected)
                {
                    Logs.LeaseLost(services.Logger, item.RunId, item.StepUuid, item.Attempt);
                    await execution.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // The step ended.
        }
    }
}
