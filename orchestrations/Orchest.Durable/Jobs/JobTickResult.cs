using System.Text.Json.Serialization;
using Orchest.Engine.Jobs;

namespace Orchest.Durable.Jobs;

/// <summary>What a tick started, and the job's definition as the tick read it (so the orchestration catches up with an update it missed).</summary>
/// <param name="RunIds">The runs started (in parameter set order); empty when <paramref name="Problems"/> say why.</param>
/// <param name="Problems">Why no runs started: the ref, the pipeline or the parameters no longer work.</param>
/// <param name="DefinitionRevision">The version of the definition read (0: the job is gone).</param>
/// <param name="Schedule">That definition's schedule.</param>
public sealed record JobTickResult(
    [property: JsonRequired] IReadOnlyList<string> RunIds, [property: JsonRequired] IReadOnlyList<string> Problems, long DefinitionRevision, JobSchedule? Schedule)
{
    /// <summary>The key of the tick it answers for (a job's call tells its own result from another call's by it); null from hosts before it was named.</summary>
    public string? Key { get; init; }

    /// <summary>The sequence the tick was recorded under: later than asked when another tick had taken that one.</summary>
    public long? Sequence { get; init; }

    /// <summary>The missed ticks recorded as skipped before it (fewer than asked when the tick that took the asked sequence ran one of them).</summary>
    public long? Skipped { get; init; }

    /// <summary>Whether this answers the tick <paramref name="key"/> (a result of an older host, naming none, is taken as it).</summary>
    public bool IsFor(string key) => Key is null || Key == key;
}
