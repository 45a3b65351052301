using System.Globalization;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Embedded;

/// <summary>Run state in memory, with the same version check a durable store applies.</summary>
public sealed class InMemoryRunStore : IRunStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredRun> _runs = new(StringComparer.Ordinal);
    private long _versions;

    public Task CreateAsync(RunSnapshot snapshot, RunDefinition definition, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_runs.ContainsKey(snapshot.Run.Id))
            {
                throw new InvalidOperationException($"Run {snapshot.Run.Id} already exists.");
            }

            var run = snapshot.Run with { Version = NextVersion() };
            var steps = snapshot.Steps.Select(s => s with { Version = NextVersion() }).ToList();
            _runs[run.Id] = new StoredRun(run, steps, definition, [.. events]);
        }

        return Task.CompletedTask;
    }

    public Task<RunSnapshot?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.TryGetValue(runId, out var stored)
                ? new RunSnapshot(stored.Run, stored.Steps.ToList())
                : null);
        }
    }

    public Task<RunDefinition?> GetDefinitionAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.TryGetValue(runId, out var stored) ? stored.Definition : null);
        }
    }

    public Task<bool> TryCommitAsync(RunTransition transition, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_runs.TryGetValue(transition.RunId, out var stored) || stored.Run.Version != transition.Before.Run.Version)
            {
                return Task.FromResult(false);
            }

            var steps = stored.Steps.ToList();
            foreach (var changed in transition.ChangedSteps)
            {
                var index = steps.FindIndex(s => s.Uuid == changed.Uuid);
                if (steps[index].Version != transition.Before.GetStep(changed.Uuid).Version)
                {
                    return Task.FromResult(false);
                }

                steps[index] = changed with { Version = NextVersion() };
            }

            stored.Events.AddRange(transition.Events);
            _runs[transition.RunId] = stored with { Run = transition.Run with { Version = NextVersion() }, Steps = steps };
            return Task.FromResult(true);
        }
    }

    /// <summary>Every event recorded for a run, in commit order.</summary>
    public IReadOnlyList<RunEvent> GetEvents(string runId)
    {
        lock (_gate)
        {
            return _runs.TryGetValue(runId, out var stored) ? stored.Events.ToList() : [];
        }
    }

    private string NextVersion() => (++_versions).ToString(CultureInfo.InvariantCulture);

    private sealed record StoredRun(RunRecord Run, IReadOnlyList<StepRecord> Steps, RunDefinition Definition, List<RunEvent> Events);
}
