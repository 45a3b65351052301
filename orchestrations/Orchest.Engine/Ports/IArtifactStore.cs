using Orchest.Engine.Runs;

namespace Orchest.Engine.Ports;

/// <summary>
/// Output sets, logs and executed notebooks. Output sets are written by steps to the location this
/// store hands out; the engine commits the latest successful set per (project, pipeline, step) as a pointer.
/// </summary>
public interface IArtifactStore
{
    /// <summary>The output set of one attempt, empty and ready for the step to write to.</summary>
    Task<StepLocation> PrepareOutputSetAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default);

    /// <summary>Where a committed output set of a step is, readable by the step that receives it.</summary>
    StepLocation LocateOutputSet(StepKey key, string outputSet);

    /// <summary>
    /// The latest committed output set of the step, or null when it never succeeded. With
    /// <paramref name="readerRunId"/> (a run's step reading another run's set as its input), a store that prunes
    /// sets while runs go keeps that set until the reader ended.
    /// </summary>
    Task<string?> GetLatestOutputSetAsync(StepKey key, string? readerRunId = null, CancellationToken cancellationToken = default);

    /// <summary>Points the step's latest pointer at <paramref name="outputSet"/> and prunes older sets.</summary>
    Task CommitLatestAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default);

    /// <summary>Whether the step wrote anything to the output set (a set with nothing in it is not worth committing).</summary>
    Task<bool> HasOutputsAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="HasOutputsAsync"/> for several output sets of steps of one pipeline: the ones that hold anything.
    /// A store may answer many at once with fewer requests than one per set.
    /// </summary>
    Task<IReadOnlySet<StepCommit>> WithOutputsAsync(
        string projectId, string pipelineUuid, IReadOnlyList<StepCommit> sets, CancellationToken cancellationToken = default);

    /// <summary>Deletes the output set of an attempt that did not commit.</summary>
    Task DiscardOutputSetAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default);

    /// <summary>Opens the log of a step attempt for streaming (the first attempt starts it afresh).</summary>
    Task<IStepLog> OpenLogAsync(StepLogTarget target, CancellationToken cancellationToken = default);

    /// <summary>Where the runner writes the executed notebook of a step (a local path).</summary>
    string ExecutedNotebookPath(StepLogTarget target);

    /// <summary>After the runner returned: keeps the files it left locally (the executed notebook) where readers find them.</summary>
    Task PublishStepFilesAsync(StepLogTarget target, CancellationToken cancellationToken = default);
}
