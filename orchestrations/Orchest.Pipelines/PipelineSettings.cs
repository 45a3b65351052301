namespace Orchest.Pipelines;

/// <summary>The "settings" object of a pipeline, with defaults for absent or invalid values.</summary>
public sealed class PipelineSettings
{
    internal PipelineSettings(
        int maxStepsParallelism,
        FailurePolicy failurePolicy,
        RetryPolicy retry,
        bool autoEviction,
        string? dataPassingMemorySize)
    {
        MaxStepsParallelism = maxStepsParallelism;
        FailurePolicy = failurePolicy;
        Retry = retry;
        AutoEviction = autoEviction;
        DataPassingMemorySize = dataPassingMemorySize;
    }

    internal static PipelineSettings Default { get; } = new(0, FailurePolicy.FailFast, RetryPolicy.None, false, null);

    /// <summary>settings.max_steps_parallelism; 0 means no limit (beyond the host's own cap).</summary>
    public int MaxStepsParallelism { get; }

    /// <summary>settings.failure_policy (ours): "fail-fast" (default) or "continue".</summary>
    public FailurePolicy FailurePolicy { get; }

    /// <summary>settings.retry (ours); <see cref="RetryPolicy.None"/> when absent.</summary>
    public RetryPolicy Retry { get; }

    /// <summary>Legacy (Orchest's in-memory store); read and kept, with no effect.</summary>
    public bool AutoEviction { get; }

    /// <summary>Legacy (Orchest's in-memory store), e.g. "1GB"; null when absent.</summary>
    public string? DataPassingMemorySize { get; }
}
