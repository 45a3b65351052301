using Orchest.Engine.Jobs;

namespace Orchest.Durable.Jobs;

/// <summary>
/// A job orchestration's state, carried from one execution to the next through continue-as-new (one
/// execution per tick or command keeps its history small). Deterministic: only the orchestration changes it.
/// </summary>
public sealed record JobOrchestrationInput
{
    public required string JobId { get; init; }

    public required JobSchedule Schedule { get; init; }

    /// <summary>The version of the definition <see cref="Schedule"/> comes from.</summary>
    public long DefinitionRevision { get; init; } = 1;

    /// <summary>When the job was confirmed: a one-off job without a time runs then.</summary>
    public required DateTimeOffset Confirmed { get; init; }

    public required JobStatus Status { get; init; }

    /// <summary>The newest tick handled (run or skipped): the next tick is strictly after it. Null before the first execution.</summary>
    public DateTimeOffset? Horizon { get; init; }

    /// <summary>A tick late by more than this was missed (see <see cref="CatchUpPolicy"/>).</summary>
    public required TimeSpan MisfireThreshold { get; init; }

    public long Ticks { get; init; }
    public long Runs { get; init; }
    public long SkippedTicks { get; init; }

    /// <summary>The scheduled time of the last tick that ran (<see cref="JobState.LastScheduled"/>; every write of the state carries it).</summary>
    public DateTimeOffset? LastScheduled { get; init; }

    /// <summary>Writes of the job's state this orchestration made so far (<see cref="JobState.Record"/>: the next one is one more).</summary>
    public long Records { get; init; }

    /// <summary>The next tick as last recorded for the API (so an unchanged one is not written again).</summary>
    public DateTimeOffset? RecordedNext { get; init; }

    /// <summary>A one-off job whose runs started: it waits for them to end (<see cref="WatchRound"/> paces its checks).</summary>
    public bool Watching { get; init; }

    public int WatchRound { get; init; }

    /// <summary>Ids of the latest triggers handled (a trigger event delivered twice starts its runs once).</summary>
    public IReadOnlyList<string> RecentTriggers { get; init; } = [];

    public override string ToString() => $"JobOrchestrationInput {{ JobId = {JobId}, Status = {Status}, Ticks = {Ticks} }}";
}
