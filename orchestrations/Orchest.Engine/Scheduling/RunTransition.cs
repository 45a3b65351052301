using Orchest.Engine.Runs;

namespace Orchest.Engine.Scheduling;

/// <summary>
/// Everything one state change writes, committed atomically or not at all: the run row (always, so
/// transitions of one run are serialised by its version), the changed step rows and the events.
/// After the commit the caller enqueues <see cref="ToEnqueue"/> and stops <see cref="ToStop"/>.
/// </summary>
public sealed class RunTransition
{
    public required RunSnapshot Before { get; init; }
    public required RunRecord Run { get; init; }
    public required IReadOnlyList<StepRecord> ChangedSteps { get; init; }
    public required IReadOnlyList<RunEvent> Events { get; init; }
    public required IReadOnlyList<DelayedWork> ToEnqueue { get; init; }

    /// <summary>Steps that were running and must now be stopped (fail-fast, cancel).</summary>
    public required IReadOnlyList<string> ToStop { get; init; }

    public string RunId => Run.Id;

    /// <summary>The run as this transition leaves it.</summary>
    public RunSnapshot After()
    {
        var steps = Before.Steps.ToArray();
        foreach (var changed in ChangedSteps)
        {
            steps[Before.Index[changed.Uuid]] = changed;
        }

        return new RunSnapshot(Run, steps, Before.Index);
    }
}
