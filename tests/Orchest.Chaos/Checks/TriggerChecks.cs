using Orchest.Chaos.Trials;

namespace Orchest.Chaos.Checks;

/// <summary>
/// Each planned run started at most once (a start or a push handled twice shows as a second run of its pipeline),
/// and each push that reached a host ran at its pushed commit, however its handling host died: one a host
/// claimed is taken over from the claim, one redelivered is handled then (as new if nobody had claimed it).
/// </summary>
public static class TriggerChecks
{
    /// <param name="runs">What the trial started.</param>
    /// <param name="observed">The runs at the end (a planned run's are matched by its pipeline).</param>
    /// <param name="claimed">The delivery ids hosts claimed (the project's delivery log).</param>
    public static IEnumerable<Violation> Check(IReadOnlyList<SubmittedRun> runs, IReadOnlyList<ObservedRun> observed, IReadOnlySet<string> claimed)
    {
        foreach (var run in runs)
        {
            var started = observed.Where(o => o.Plan == run.Plan && o.Status is not null).ToList();
            if (started.Count > 1)
            {
                yield return new(ViolationKinds.RunDuplicated, started[1].RunId,
                    $"{run.Plan.Name} was started {started.Count} times: {string.Join(", ", started.Select(o => o.RunId))}");
            }

            if (!run.Plan.Pushed || run.DeliveryId is not { } delivery)
            {
                continue;
            }

            if (started.Count == 0 && (claimed.Contains(delivery) || run.Redelivery is { Status: not null }))
            {
                var redelivery = run.Redelivery is { } again ? $"; redelivered to {again.Host}: {again.Outcome} {again.Body?.ToJsonString()}" : "";
                yield return new(ViolationKinds.PushLost, null,
                    $"the push of {run.Plan.Name} (delivery {delivery}, sent to {run.Submission?.Host}: {run.Submission?.Outcome}{redelivery}) "
                    + $"was {(claimed.Contains(delivery) ? "claimed" : "not claimed")}, yet no run of it exists");
            }

            foreach (var wrong in started.Where(o => o.Commit != run.PushedCommit))
            {
                yield return new(ViolationKinds.PushWrongCommit, wrong.RunId,
                    $"the push of {run.Plan.Name} was of {run.PushedCommit}; its run ran at {wrong.Commit ?? "no commit"}");
            }
        }
    }
}
