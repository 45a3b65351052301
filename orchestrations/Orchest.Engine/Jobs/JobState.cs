namespace Orchest.Engine.Jobs;

/// <summary>
/// Where a job stands, as its orchestration records it (the API reads it; only the orchestration writes it,
/// except the DRAFT and PENDING it is created with).
/// </summary>
public sealed record JobState
{
    public required JobStatus Status { get; init; }

    /// <summary>The next tick the schedule will fire (null: none, e.g. paused or ended).</summary>
    public DateTimeOffset? NextScheduled { get; init; }

    /// <summary>The scheduled time of the last tick that ran.</summary>
    public DateTimeOffset? LastScheduled { get; init; }

    // The counters below are the store's: it adds each tick once as it is recorded (by the job's orchestration or
    // by a push), and keeps them when a writer's copy differs (IJobStore.ApplyAsync).

    /// <summary>The highest tick sequence recorded so far (scheduled, triggered, pushed, and records of skipped ticks).</summary>
    public long Ticks { get; init; }

    /// <summary>Runs the job started so far.</summary>
    public long Runs { get; init; }

    /// <summary>Missed ticks skipped so far (see <see cref="CatchUpPolicy"/>).</summary>
    public long SkippedTicks { get; init; }

    /// <summary>Why the status is what it is, when that is worth saying (a failed tick, a cancel).</summary>
    public string? Message { get; init; }

    public required DateTimeOffset Updated { get; init; }

    /// <summary>
    /// The number of the job orchestration's write that recorded this state (1, 2, ... in the order the
    /// orchestration made them; 0 before its first). A job's activities run at least once, and an execution can
    /// come after a later write (its host died after reporting, or a killed episode's result answered its
    /// call): the store keeps the state with the highest number, so such a late write cannot take the job back.
    /// </summary>
    public long Record { get; init; }
}
