namespace Orchest.Benchmarks.Measuring;

/// <summary>
/// Where a run's time went, read from its run record alone (each step's <c>started</c>/<c>finished</c> as
/// the host that ran it recorded them, and the run's): no instrumentation in the product. What the
/// served engines' per-step cost is made of: running the step on a host, and getting from one step's
/// end to the next one's start (the orchestration round trip in the current engine: activity result →
/// orchestrator → next activity picked up).
/// </summary>
/// <param name="StepExecution">Median over steps of finished − started: the step on its host (process and the host's own bookkeeping).</param>
/// <param name="Handoff">
/// Median over the DAG's levels after the first of the level's smallest (started − latest parent finished). The
/// smallest: the first child dispatched after its parents never waits for a free slot, so this is the round
/// trip, not queueing. Null for a single level.
/// </param>
/// <param name="FirstStep">Run started → the earliest step started.</param>
/// <param name="RunEnd">The latest step finished → run finished.</param>
/// <param name="WidestLevel">Steps in the DAG's widest level.</param>
/// <param name="DispatchRate">Widest level: steps started per second between its first and last start (null for one step).</param>
/// <param name="Concurrency">Widest level: Σ step execution / (its last finish − its first start), steps running on average.</param>
public sealed record StepTimeline(
    TimeSpan StepExecution, TimeSpan? Handoff, TimeSpan FirstStep, TimeSpan RunEnd, int WidestLevel, double? DispatchRate, double? Concurrency)
{
    /// <summary>Each figure's median over <paramref name="timelines"/> (the repetitions); null when there are none.</summary>
    public static StepTimeline? Median(IReadOnlyCollection<StepTimeline> timelines) => timelines.Count == 0
        ? null
        : new StepTimeline(
            Statistics.MedianOf(timelines.Select(t => t.StepExecution))!.Value,
            Statistics.MedianOf(timelines.Select(t => t.Handoff).OfType<TimeSpan>()),
            Statistics.MedianOf(timelines.Select(t => t.FirstStep))!.Value,
            Statistics.MedianOf(timelines.Select(t => t.RunEnd))!.Value,
            timelines.First().WidestLevel,
            Statistics.Of(timelines.Select(t => t.DispatchRate).OfType<double>())?.Median,
            Statistics.Of(timelines.Select(t => t.Concurrency).OfType<double>())?.Median);
}
