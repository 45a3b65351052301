using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace Orchest.Durable.AzureStorage;

/// <summary>
/// The Durable Task hub on Azure Storage (section <c>Orchest:TaskHub</c>). Defaults favour failover and
/// latency over idle cost: DurableTask.AzureStorage's own defaults (5-minute visibility timeouts, 30 s
/// polling) stall a dead host's runs for minutes (DESIGN §10).
/// </summary>
public sealed class TaskHubOptions
{
    public const string Section = "Orchest:TaskHub";

    /// <summary>Names the hub's tables, queues and containers; hosts sharing runs use the same one. Default: "orchest" + Orchest:Storage:NamePrefix.</summary>
    public string? Name { get; set; }

    /// <summary>Control-queue partitions: how many hosts can share the orchestration work (fixed once the hub exists).</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>How long a message taken by a host that then died stays hidden; with the lease interval it bounds failover.</summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Partition lease: a dead host's partitions move after this.</summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(6);

    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan LeaseAcquireInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between polls of an idle queue (polling backs off up to this): start latency against idle cost.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Keep orchestrations in memory between events (no replay from history): a 1,000-step fan-out replays ~100 times without it.</summary>
    public bool ExtendedSessions { get; set; } = true;

    /// <summary>
    /// How long an idle orchestration stays in memory. Also how long its runs stall when its partition moves to a
    /// host that joins: the losing host drains a partition only once its sessions went idle (measured with a
    /// host joining mid-run: runs of the moved partitions took 31 s longer at 30 s, 6-7 s longer at 5 s). An
    /// orchestration idle longer than this replays from its history at its next event (one table read).
    /// </summary>
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Step activities this host runs at once (0: Orchest:Engine:HostParallelism). A host takes no more work than it can run, so idle hosts get the rest.</summary>
    public int MaxConcurrentActivities { get; set; }

    public int MaxConcurrentOrchestrations { get; set; } = 100;

    public int MaxConcurrentEntities { get; set; } = 100;

    /// <summary>How often a run publishes its progress to its projection (what the API shows) while nothing urgent happens.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Ended runs' orchestration history is deleted after this (their records, events, logs and outputs stay).</summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a host with the timers role deletes expired history.</summary>
    public TimeSpan HistoryPurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a host with the timers role makes sure the housekeeping orchestration runs (one instance read).</summary>
    public TimeSpan HousekeepingCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// DurableTask.AzureStorage's settings from these options, for the hub <paramref name="taskHubName"/> on the
    /// account of <paramref name="connectionString"/>, with <paramref name="activitySlots"/> activities at once.
    /// </summary>
    public AzureStorageOrchestrationServiceSettings ToServiceSettings(
        string connectionString, string taskHubName, string workerId, int activitySlots, ILoggerFactory? loggers = null)
    {
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHubName,
            WorkerId = workerId,
            PartitionCount = PartitionCount,
            WorkItemQueueVisibilityTimeout = WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = ControlQueueVisibilityTimeout,
            LeaseInterval = LeaseInterval,
            LeaseRenewInterval = LeaseRenewInterval,
            LeaseAcquireInterval = LeaseAcquireInterval,
            MaxQueuePollingInterval = MaxQueuePollingInterval,
            ExtendedSessionsEnabled = ExtendedSessions,
            ExtendedSessionIdleTimeout = ExtendedSessionIdleTimeout,
            MaxConcurrentTaskActivityWorkItems = activitySlots,
            MaxConcurrentTaskOrchestrationWorkItems = MaxConcurrentOrchestrations,
            MaxConcurrentTaskEntityWorkItems = MaxConcurrentEntities,
            UseSeparateQueueForEntityWorkItems = true,
        };
        if (loggers is not null)
        {
            settings.LoggerFactory = loggers;
        }

        return settings;
    }

    /// <summary>Every problem with these options, each saying what to set; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Name is { } name && (name.Length is < 3 or > 45 || !char.IsAsciiLetter(name[0]) || !name.All(char.IsAsciiLetterOrDigit)))
        {
            problems.Add($"{Section}:Name must be 3 to 45 letters and digits, starting with a letter.");
        }

        if (PartitionCount is < 1 or > 16)
        {
            problems.Add($"{Section}:PartitionCount must be between 1 and 16.");
        }

        foreach (var (key, value, min) in new[]
                 {
                     (nameof(WorkItemVisibilityTimeout), WorkItemVisibilityTimeout, TimeSpan.FromSeconds(5)),
                     (nameof(ControlQueueVisibilityTimeout), ControlQueueVisibilityTimeout, TimeSpan.FromSeconds(5)),
                     (nameof(LeaseInterval), LeaseInterval, TimeSpan.FromSeconds(2)),
                     (nameof(LeaseRenewInterval), LeaseRenewInterval, TimeSpan.FromMilliseconds(500)),
                     (nameof(LeaseAcquireInterval), LeaseAcquireInterval, TimeSpan.FromMilliseconds(500)),
                     (nameof(MaxQueuePollingInterval), MaxQueuePollingInterval, TimeSpan.FromMilliseconds(10)),
                     (nameof(ProgressInterval), ProgressInterval, TimeSpan.FromMilliseconds(100)),
                     (nameof(HistoryRetention), HistoryRetention, TimeSpan.Zero),
                     (nameof(HistoryPurgeInterval), HistoryPurgeInterval, TimeSpan.FromSeconds(1)),
                     (nameof(HousekeepingCheckInterval), HousekeepingCheckInterval, TimeSpan.FromSeconds(1)),
                 })
        {
            if (value < min)
            {
                problems.Add($"{Section}:{key} must be at least {min:c}.");
            }
        }

        if (LeaseRenewInterval >= LeaseInterval)
        {
            problems.Add($"{Section}:LeaseRenewInterval must be shorter than {Section}:LeaseInterval.");
        }

        if (MaxConcurrentActivities < 0 || MaxConcurrentOrchestrations < 1 || MaxConcurrentEntities < 1)
        {
            problems.Add($"{Section}: MaxConcurrentActivities must be 0 or more, MaxConcurrentOrchestrations and MaxConcurrentEntities at least 1.");
        }

        return problems;
    }
}
