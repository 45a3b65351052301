namespace Orchest.Engine.Runs;

/// <summary>
/// What a durable run decided since its previous progress: the run record, the steps that changed,
/// the events (numbered), the output sets it accepted. Sent by the run's orchestration, in order, to
/// the writer of its projection; applying the same progress twice changes nothing.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Sequence">1 for the run's first progress, then +1 each.</param>
/// <param name="Run">The run record as of this progress.</param>
/// <param name="Steps">Steps that changed (the first progress carries every step), with their place in the run graph.</param>
/// <param name="Events">New events, in order.</param>
/// <param name="Commits">Output sets that became their step's result, to point the step's latest output at.</param>
/// <param name="Final">The run ended: nothing follows.</param>
public sealed record RunProgress(
    string RunId,
    long Sequence,
    RunRecord Run,
    IReadOnlyList<ProgressStep> Steps,
    IReadOnlyList<RunEvent> Events,
    IReadOnlyList<StepCommit> Commits,
    bool Final)
{
    /// <summary>A digest of what this progress says (its own part, not <see cref="Previous"/>); null from writers that do not repeat.</summary>
    public string? Digest { get; init; }

    /// <summary>
    /// The progress sent before this one, again (without its own <see cref="Previous"/>): a writer that applied
    /// a different progress under that number (a split brain's losing execution sent it) applies this one first.
    /// </summary>
    public RunProgress? Previous { get; init; }

    /// <summary>
    /// On the final progress: every output set the run accepted. A writer that had to repair a progress
    /// (<see cref="Previous"/>) during the run points every step's latest output at these, as two repaired
    /// progresses in a row lose the first one's commits; one that never did applies <see cref="Commits"/> only
    /// (so a run that ends never points a step back at its own older output after another run's newer one).
    /// </summary>
    public IReadOnlyList<StepCommit>? AllCommits { get; init; }
}
