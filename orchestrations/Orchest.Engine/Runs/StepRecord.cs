using Orchest.Pipelines;

namespace Orchest.Engine.Runs;

/// <summary>One step of a run: its place in the run graph and its execution state.</summary>
public sealed record StepRecord
{
    public required string Uuid { get; init; }
    public required string Title { get; init; }
    public required string FilePath { get; init; }

    /// <summary>Parents inside this run, in the pipeline's incoming_connections order.</summary>
    public IReadOnlyList<string> Parents { get; init; } = [];

    /// <summary>Children inside this run.</summary>
    public IReadOnlyList<string> Children { get; init; } = [];

    /// <summary>Retry policy of this step (pipeline setting, or the step's own override).</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    public ExecutionStatus Status { get; init; } = ExecutionStatus.Pending;

    /// <summary>1 for the first execution; each retry or re-dispatch after a lost worker adds one.</summary>
    public int Attempt { get; init; }

    /// <summary>True once a work item for <see cref="Attempt"/> was handed to the queue.</summary>
    public bool Dispatched { get; init; }
    public DateTimeOffset? DispatchedAt { get; init; }
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The host (worker) that runs or ran the current attempt.</summary>
    public string? Owner { get; init; }

    /// <summary>Attempts lost to dead or stopping hosts (not counted against the retry policy, but capped).</summary>
    public int LostAttempts { get; init; }

    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Finished { get; init; }
    public int? ExitCode { get; init; }

    /// <summary>Why the step failed or was aborted, in one readable line.</summary>
    public string? Message { get; init; }

    /// <summary>Name of the committed output set (PROTOCOL.md §4) once the step succeeded.</summary>
    public string? OutputSet { get; init; }

    public string Version { get; init; } = "";
}
