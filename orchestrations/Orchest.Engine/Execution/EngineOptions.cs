namespace Orchest.Engine.Execution;

/// <summary>How this host's engine runs steps.</summary>
public sealed class EngineOptions
{
    /// <summary>Identifies this host in step records ("host:pid" by default).</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Steps this host runs at once across all runs; 0 = unbounded.</summary>
    public int HostParallelism { get; set; } = Math.Max(4, Environment.ProcessorCount * 4);

    /// <summary>Longest idle wait for a queue message; polling backs off up to this, and resets on work.</summary>
    public TimeSpan MaxIdleWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Committed output sets kept per (pipeline, step) besides the latest.</summary>
    public int RetainedOutputSets { get; set; } = 1;
}
