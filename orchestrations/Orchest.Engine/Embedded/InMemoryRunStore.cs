using System.Collections.Concurrent;
using System.Globalization;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Embedded;

/// <summary>
/// Run state in memory. Transitions of one run are decided and committed under that run's lock
/// (<see cref="IAtomicRunStore"/>), so the engine never retries; <see cref="TryCommitAsync"/> still
/// applies the version check a durable store applies. A commit replaces only the changed step
/// records in place (copying the whole step array per transition made a run of N steps cost O(N²)
/// time and garbage: 40 GB at 50,000 steps); <see cref="GetAsync"/> hands out a copy, while the
/// snapshot a decision sees (and <c>RunTransition.Before</c>) is the live array: read after the
/// lock, its steps may be newer than at the decision (the engine reads only what no later
/// transition changes there: succeeded parents' output sets, titles).
/// </summary>
public sealed class InMemoryRunStore : IAtomicRunStore
{
    private readonly ConcurrentDictionary<string, StoredRun> _runs = new(StringComparer.Ordinal);
    private long _versions;

    public Task CreateAsync(RunSnapshot snapshot, RunDefinition definition, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken = default)
    {
        var steps = snapshot.Steps.Select(s => s with { Version = NextVersion() }).ToArray();
        var stored = new StoredRun(definition, SnapshotIndex: RunSnapshot.IndexOf(steps))
        {
            Run = snapshot.Run with { Version = NextVersion() },
            Steps = steps,
        };
        stored.Events.AddRange(events);
        if (!_runs.TryAdd(snapshot.Run.Id, stored))
        {
            throw new InvalidOperationException($"Run {snapshot.Run.Id} already exists.");
        }

        return Task.CompletedTask;
    }

    public Task<RunSnapshot?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (!_runs.TryGetValue(runId, out var stored))
        {
            return Task.FromResult<RunSnapshot?>(null);
        }

        lock (stored)
        {
            return Task.FromResult<RunSnapshot?>(new RunSnapshot(stored.Run, (StepRecord[])stored.Steps.Clone(), stored.SnapshotIndex));
        }
    }

    public Task<RunDefinition?> GetDefinitionAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_runs.TryGetValue(runId, out var stored) ? stored.Definition : null);

    public Task<TransitionResult> ApplyAsync(string runId, Func<RunSnapshot, TransitionResult> decide, CancellationToken cancellationToken = default)
    {
        if (!_runs.TryGetValue(runId, out var stored))
        {
            throw new Execution.RunNotFoundException(runId);
        }

        lock (stored)
        {
            var result = decide(stored.Snapshot());
            if (result.Transition is { } transition)
            {
                Apply(stored, transition);
            }

            return Task.FromResult(result);
        }
    }

    public Task<bool> TryCommitAsync(RunTransition transition, CancellationToken cancellationToken = default)
    {
        if (!_runs.TryGetValue(transition.RunId, out var stored))
        {
            return Task.FromResult(false);
        }

        lock (stored)
        {
            if (stored.Run.Version != transition.Before.Run.Version)
            {
                return Task.FromResult(false);
            }

            Apply(stored, transition);
            return Task.FromResult(true);
        }
    }

    /// <summary>Every event recorded for a run, in commit order.</summary>
    public IReadOnlyList<RunEvent> GetEvents(string runId)
    {
        if (!_runs.TryGetValue(runId, out var stored))
        {
            return [];
        }

        lock (stored)
        {
            return stored.Events.ToList();
        }
    }

    private void Apply(StoredRun stored, RunTransition transition)
    {
        foreach (var changed in transition.ChangedSteps)
        {
            stored.Steps[stored.SnapshotIndex[changed.Uuid]] = changed with { Version = NextVersion() };
        }

        stored.Events.AddRange(transition.Events);
        stored.Run = transition.Run with { Version = NextVersion() };
    }

    private string NextVersion() => Interlocked.Increment(ref _versions).ToString(CultureInfo.InvariantCulture);

    /// <summary>One run's state; the object is its own lock, which guards every write to <see cref="Steps"/>.</summary>
    private sealed record StoredRun(RunDefinition Definition, IReadOnlyDictionary<string, int> SnapshotIndex)
    {
        public required RunRecord Run { get; set; }
        public required StepRecord[] Steps { get; set; }
        public List<RunEvent> Events { get; } = [];

        public RunSnapshot Snapshot() => new(Run, Steps, SnapshotIndex);
    }
}
