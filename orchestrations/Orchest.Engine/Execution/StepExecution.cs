using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Execution;

/// <summary>One work item of the embedded engine, start to end: begin the step, run it, commit its result.</summary>
internal sealed class StepExecution(EngineServices services)
{
    public async Task ExecuteAsync(QueuedWork work, CancellationToken stopping)
    {
        var item = work.Item;
        var options = services.Options;
        var begun = await TryBeginAsync(item, stopping);
        if (begun?.Transition is not { } transition)
        {
            Logs.MessageDropped(services.Logger, item.RunId, item.StepUuid, item.Attempt, begun?.Rejection ?? "run not found");
            await services.Queue.CompleteAsync(work, stopping);
            return;
        }

        var step = transition.ChangedSteps.Single();
        var snapshot = transition.Before;
        Logs.StepStarted(services.Logger, item.RunId, item.StepUuid, item.Attempt, options.WorkerId);
        var outputSet = StepAttempts.OutputSetName(item.RunId, item.Attempt);
        var stepKey = new StepKey(snapshot.Run.ProjectId, snapshot.Run.PipelineUuid, item.StepUuid);

        StepOutcome outcome;
        try
        {
            var definition = await services.Store.GetDefinitionAsync(item.RunId, stopping)
                ?? throw new RunNotFoundException(item.RunId);
            outcome = await services.Attempts.RunAsync(
                new StepAttemptRequest(snapshot.Run, step, StepAttemptRequest.ParentSetsIn(snapshot, step), definition), stopping);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Logs.RunnerFailed(services.Logger, item.RunId, item.StepUuid, item.Attempt, ex);
            outcome = StepOutcome.Failed(null, $"Orchest could not run the step: {ex.Message}");
        }

        if (outcome.Kind == StepOutcomeKind.Stopped && stopping.IsCancellationRequested)
        {
            // This process is shutting down, not the run: the embedded run ends with it.
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

        if (!completion.IsRejected && outcome.Kind == StepOutcomeKind.Succeeded)
        {
            // A step that output nothing keeps its earlier latest output (see EmptyOutputSets).
            if (await services.Artifacts.HasOutputsAsync(stepKey, outputSet, CancellationToken.None))
            {
                await services.Artifacts.CommitLatestAsync(stepKey, outputSet, CancellationToken.None);
            }
        }
        else
        {
            await services.Artifacts.DiscardOutputSetAsync(stepKey, outputSet, CancellationToken.None);
        }

        await services.Queue.CompleteAsync(work, CancellationToken.None);
        if (completion.Transition is { } ended && ended.Run.Status.IsTerminal())
        {
            await EmptyOutputSets.RemoveAsync(services.Artifacts, ended.After());
            await services.Attempts.ForgetRunAsync(item.RunId, CancellationToken.None);
        }
    }

    private async Task<TransitionResult?> TryBeginAsync(StepWorkItem item, CancellationToken stopping)
    {
        try
        {
            return await services.Committer.ApplyAsync(
                item.RunId,
                (s, now) => RunStateMachine.Begin(s, item, services.Options.WorkerId, now, now),
                stopping);
        }
        catch (RunNotFoundException)
        {
            return null;
        }
    }
}
