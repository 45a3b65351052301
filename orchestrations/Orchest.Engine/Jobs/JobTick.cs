namespace Orchest.Engine.Jobs;

/// <summary>One entry of a job's history: a tick that started runs (or tried to), and the missed ticks skipped before it.</summary>
public sealed record JobTick
{
    /// <summary>1, 2, ... in the order the job handled its ticks.</summary>
    public required long Sequence { get; init; }

    /// <summary>Identifies the tick for good (run ids derive from it): the scheduled time, or the trigger's id.</summary>
    public required string Key { get; init; }

    public required JobTickKind Kind { get; init; }

    /// <summary>When the tick was due (for a trigger: when it was asked for).</summary>
    public required DateTimeOffset ScheduledFor { get; init; }

    /// <summary>When its runs were started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>The commit the ref resolved to (null when it could not be resolved).</summary>
    public string? Commit { get; init; }

    public IReadOnlyList<string> RunIds { get; init; } = [];

    /// <summary>Missed ticks skipped just before this one.</summary>
    public long Skipped { get; init; }

    /// <summary>Why no runs started (the ref or the pipeline is gone or invalid); empty when they did.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
