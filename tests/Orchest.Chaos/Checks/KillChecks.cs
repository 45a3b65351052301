using Orchest.Chaos.Trials;
using Orchest.Engine.Runs;

namespace Orchest.Chaos.Checks;

/// <summary>
/// At-least-once execution across a host's death: an attempt that was running on the killed host never
/// reports an outcome (it died), and its step, unless its run ended first (cancel, fail-fast: ABORTED),
/// runs again at a higher attempt after a step.worker_lost event. Also measures failover: from the kill
/// to the step's next attempt starting elsewhere.
/// </summary>
public static class KillChecks
{
    public static IEnumerable<Violation> Check(HostKill kill, IReadOnlyList<ObservedRun> runs)
    {
        foreach (var killed in kill.Steps)
        {
            var run = runs.FirstOrDefault(r => r.RunId == killed.RunId);
            var step = run?.StepByUuid(killed.StepUuid);
            if (run is null || step is null || run.Status is null)
            {
                continue; // its run is reported lost by the run checks
            }

            var events = run.Events.Where(e => e.StepUuid == killed.StepUuid).ToList();
            if (events.FirstOrDefault(e => e.Attempt == killed.Attempt && e.Type is RunEventTypes.StepSucceeded or RunEventTypes.StepFailed) is { } reported)
            {
                yield return new(ViolationKinds.KilledAttemptReported, run.RunId,
                    $"step {step.Title} attempt {killed.Attempt} died with host {kill.Victim} (pid {killed.Pid}) yet event {reported.Sequence} says {reported.Type}");
            }

            if (step.Status is "SUCCESS" or "FAILURE")
            {
                if (step.Attempt <= killed.Attempt)
                {
                    yield return new(ViolationKinds.KilledStepNotRerun, run.RunId,
                        $"step {step.Title} attempt {killed.Attempt} died with host {kill.Victim}; the step ended {step.Status} at attempt {step.Attempt}");
                }
                else if (!events.Any(e => e.Type == RunEventTypes.StepWorkerLost && e.Attempt == killed.Attempt))
                {
                    yield return new(ViolationKinds.KilledStepNotRerun, run.RunId,
                        $"step {step.Title} attempt {killed.Attempt} died with host {kill.Victim}; no {RunEventTypes.StepWorkerLost} event for it");
                }
            }
        }
    }

    /// <summary>Seconds from the kill to the next attempt of each killed step starting (steps whose run ended first have none).</summary>
    public static IReadOnlyList<double> FailoverSeconds(HostKill kill, IReadOnlyList<ObservedRun> runs) =>
    [
        .. kill.Steps
            .Select(killed => runs.FirstOrDefault(r => r.RunId == killed.RunId)?.Events
                .Where(e => e.StepUuid == killed.StepUuid && e.Type == RunEventTypes.StepStarted && e.Attempt > killed.Attempt)
                .Select(e => (e.Timestamp - kill.Time).TotalSeconds)
                .DefaultIfEmpty(double.NaN)
                .Min() ?? double.NaN)
            .Where(seconds => !double.IsNaN(seconds))
            .Select(seconds => Math.Round(seconds, 2)),
    ];

    /// <summary>
    /// step.worker_lost events naming a host that was not killed: an execution of a live host's step was
    /// taken for lost (its message reappeared while it ran, or a split brain ran it twice), so the step ran
    /// again beside it. Allowed by at-least-once execution, hence counted rather than a violation.
    /// </summary>
    public static int SpuriousLosses(HostKill? kill, IReadOnlyList<ObservedRun> runs) =>
        runs.SelectMany(r => r.Events)
            .Where(e => e.Type == RunEventTypes.StepWorkerLost)
            .Count(e => LostHost(e.Message) is not { } host || host != kill?.Victim);

    /// <summary>The host named by "host X was lost while running attempt N".</summary>
    private static string? LostHost(string? message) =>
        message is not null && message.StartsWith("host ", StringComparison.Ordinal) && message.IndexOf(" was lost", StringComparison.Ordinal) is var end and > 5
            ? message[5..end]
            : null;
}
