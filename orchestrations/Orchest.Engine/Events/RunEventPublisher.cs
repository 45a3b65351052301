using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Engine.Events;

/// <summary>
/// Turns a written progress into public events and records them (<see cref="IEventLog"/>). Costs nothing
/// extra per step: titles come with the progress; only a run-failed event reads the run and the failed
/// steps' log tails. The events' recorded time is the latest transition of the progress, so a redelivered
/// progress records them at the same place. The end of a cron job's run may end its tick (<see cref="CronTickRollup"/>).
/// </summary>
public sealed class RunEventPublisher(IEventLog log, IRunProjection projection, FailedStepSummaries failures, CronTickRollup? ticks = null) : IRunEventPublisher
{
    public async Task PublishAsync(RunProgress progress, CancellationToken cancellationToken = default)
    {
        if (progress.Events.Count == 0)
        {
            return;
        }

        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var step in progress.Steps)
        {
            titles[step.Step.Uuid] = step.Step.Title;
        }

        IReadOnlyList<FailedStep>? failed = null;
        if (progress.Events.Any(e => e.Type == RunEventTypes.RunFailed))
        {
            var run = await projection.GetAsync(progress.RunId, cancellationToken);
            failed = run is null ? [] : await failures.ReadAsync(run, cancellationToken);
        }

        var events = progress.Events
            .Select(e => OrchestEvent.FromRun(e, progress.Run, e.StepUuid is null ? null : titles.GetValueOrDefault(e.StepUuid), failed))
            .ToList();
        await log.AppendAsync(events, progress.Events.Max(e => e.Timestamp), cancellationToken);
        if (ticks is not null && progress.Final)
        {
            await ticks.RunEndedAsync(progress.Run, cancellationToken);
        }
    }
}
