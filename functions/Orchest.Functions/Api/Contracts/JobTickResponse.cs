using Orchest.Engine.Jobs;

namespace Orchest.Functions.Api.Contracts;

/// <summary>One entry of a job's history: a tick, when it was due and started, its commit, its runs, the missed ticks skipped before it.</summary>
public sealed record JobTickResponse(
    long Sequence,
    string Kind,
    DateTimeOffset ScheduledFor,
    DateTimeOffset Started,
    string? Commit,
    IReadOnlyList<string> RunIds,
    long Skipped,
    IReadOnlyList<string> Problems)
{
    public static JobTickResponse From(JobTick tick) => new(
        tick.Sequence, tick.Kind.ToString().ToLowerInvariant(), tick.ScheduledFor, tick.Started, tick.Commit, tick.RunIds, tick.Skipped, tick.Problems);
}
