using Orchest.Engine.Runs;

namespace Orchest.Chaos.Checks;

/// <summary>
/// A run's events (what webhooks deliver) against its record: numbered 0..n-1 without gaps, run.created
/// first, exactly one run-ending event (the last, matching the status), no step succeeding twice, and
/// each step's last ending event matching the step's status and attempt.
/// </summary>
public static class EventChecks
{
    private static readonly Dictionary<string, string> RunEnding = new(StringComparer.Ordinal)
    {
        [RunEventTypes.RunSucceeded] = "SUCCESS",
        [RunEventTypes.RunFailed] = "FAILURE",
        [RunEventTypes.RunAborted] = "ABORTED",
    };

    private static readonly Dictionary<string, string> StepEnding = new(StringComparer.Ordinal)
    {
        [RunEventTypes.StepSucceeded] = "SUCCESS",
        [RunEventTypes.StepFailed] = "FAILURE",
        [RunEventTypes.StepAborted] = "ABORTED",
    };

    public static IEnumerable<Violation> Check(ObservedRun run)
    {
        if (run.Status is null)
        {
            yield break;
        }

        var events = run.Events;
        var sequences = events.Select(e => e.Sequence).ToList();
        if (!sequences.SequenceEqual(Enumerable.Range(0, events.Count).Select(i => (long)i)))
        {
            yield return new(ViolationKinds.EventsNotDense, run.RunId, $"{events.Count} events numbered {Ranges(sequences)}");
        }

        Violation Inconsistent(string why) => new(ViolationKinds.EventsInconsistent, run.RunId, why);

        if (events.Count > 0 && events[0].Type != RunEventTypes.RunCreated)
        {
            yield return Inconsistent($"event {events[0].Sequence} is {events[0].Type}, not {RunEventTypes.RunCreated}");
        }

        var endings = events.Where(e => RunEnding.ContainsKey(e.Type)).ToList();
        if (run.Status is "SUCCESS" or "FAILURE" or "ABORTED")
        {
            if (endings.Count != 1 || RunEnding[endings[0].Type] != run.Status || endings[0] != events[^1])
            {
                yield return Inconsistent($"run is {run.Status}; its ending events: [{string.Join(", ", endings.Select(e => $"{e.Sequence} {e.Type}"))}] of {events.Count}");
            }
        }

        foreach (var step in run.Steps)
        {
            var mine = events.Where(e => e.StepUuid == step.Uuid).ToList();
            var succeeded = mine.Where(e => e.Type == RunEventTypes.StepSucceeded).ToList();
            if (succeeded.Count > 1)
            {
                yield return new(ViolationKinds.StepSucceededTwice, run.RunId,
                    $"step {step.Title} succeeded {succeeded.Count} times: attempts {string.Join(", ", succeeded.Select(e => e.Attempt))}");
            }

            if (mine.LastOrDefault(e => StepEnding.ContainsKey(e.Type)) is not { } last)
            {
                if (step.Status is "SUCCESS" or "FAILURE" or "ABORTED")
                {
                    yield return Inconsistent($"step {step.Title} is {step.Status} without an event saying so");
                }
            }
            else if (StepEnding[last.Type] != step.Status || (step.Status != "ABORTED" && last.Attempt != step.Attempt))
            {
                yield return Inconsistent($"step {step.Title} is {step.Status}#{step.Attempt}; its last ending event is {last.Sequence} {last.Type}#{last.Attempt}");
            }
        }
    }

    /// <summary>Sequence numbers as compact ranges ("0-41, 43-50"), so a gap or a duplicate shows.</summary>
    private static string Ranges(IReadOnlyList<long> sequences)
    {
        var parts = new List<string>();
        for (var i = 0; i < sequences.Count;)
        {
            var j = i;
            while (j + 1 < sequences.Count && sequences[j + 1] == sequences[j] + 1)
            {
                j++;
            }

            parts.Add(i == j ? $"{sequences[i]}" : $"{sequences[i]}-{sequences[j]}");
            i = j + 1;
        }

        return string.Join(", ", parts);
    }
}
