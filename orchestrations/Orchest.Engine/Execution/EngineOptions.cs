namespace Orchest.Engine.Execution;

/// <summary>How this host's engine runs steps.</summary>
public sealed class EngineOptions
{
    /// <summary>Identifies this worker in step leases ("host:pid" by default).</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Steps this host runs at once across all runs; 0 = unbounded.</summary>
    public int HostParallelism { get; set; } = Math.Max(4, Environment.ProcessorCount * 4);

    /// <summary>How long a claimed step stays ours without renewal (a dead worker's steps return after this).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a running step's lease and queue message are renewed; null disables renewal (embedded).</summary>
    public TimeSpan? LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Longest idle wait for a queue message; polling backs off up to this, and resets on work.</summary>
    public TimeSpan MaxIdleWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Committed output sets kept per (pipeline, step) besides the latest.</summary>
    public int RetainedOutputSets { get; set; } = 1;
}
