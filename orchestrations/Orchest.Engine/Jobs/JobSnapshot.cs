namespace Orchest.Engine.Jobs;

/// <summary>A job as stored: its definition and its state.</summary>
public sealed record JobSnapshot(JobDefinition Definition, JobState State)
{
    /// <summary>
    /// Set while a change a request made (creation, update, a status it set) has job events not published yet:
    /// when that change was written. A request that lives clears it at once; one that died leaves it to
    /// <see cref="Ports.IJobStore.AnnounceAsync"/>.
    /// </summary>
    public DateTimeOffset? UnannouncedSince { get; init; }
}
