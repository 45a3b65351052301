using System.Globalization;
using Orchest.Benchmarks.Scenarios;

namespace Orchest.Benchmarks.Workloads;

/// <summary>A DAG of steps that every contender runs: same files, same interpreters, same dependencies.</summary>
public sealed class Workload
{
    public Workload(string name, IReadOnlyList<WorkStep> steps, ScenarioKind kind = ScenarioKind.Dag)
    {
        Name = name;
        Kind = kind;
        Steps = steps;
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (step.Parents.Any(p => !known.Contains(p)))
            {
                throw new ArgumentException($"Workload {name}: step {step.Id} lists a parent that is not before it.", nameof(steps));
            }

            known.Add(step.Id);
        }

        Levels = ComputeLevels(steps);
        IsChain = steps.All(s => s.Parents.Count <= 1) && steps.SelectMany(s => s.Parents).GroupBy(p => p).All(g => g.Count() == 1);
    }

    public string Name { get; }

    /// <summary>What is measured: the whole run (DAG, container) or the time to the first step's process (trigger).</summary>
    public ScenarioKind Kind { get; }

    /// <summary>Steps in a topological order (every parent before its children).</summary>
    public IReadOnlyList<WorkStep> Steps { get; }

    /// <summary>Steps grouped by depth (longest path from a root); every parent is in an earlier level.</summary>
    public IReadOnlyList<IReadOnlyList<WorkStep>> Levels { get; }

    /// <summary>True when the DAG is one chain: then Σ step run time is the critical path.</summary>
    public bool IsChain { get; }

    /// <summary>Steps nobody depends on (the targets of make's and Snakemake's <c>all</c>).</summary>
    public IEnumerable<WorkStep> Sinks
    {
        get
        {
            var parents = Steps.SelectMany(s => s.Parents).ToHashSet(StringComparer.Ordinal);
            return Steps.Where(s => !parents.Contains(s.Id));
        }
    }

    /// <summary>Zero-padded step ids (s001, s002, ...) so files sort and rule names stay identifiers.</summary>
    public static string StepId(int index, int count) =>
        "s" + index.ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(3, count.ToString(CultureInfo.InvariantCulture).Length), '0');

    /// <summary>The trivial step: one line of output, like a real step that reports it ran.</summary>
    public static string TrivialShell(string id) => $"#!/usr/bin/env bash\necho \"{id} ran\"\n";

    /// <summary>
    /// The trigger step: its first action writes the wall clock (bash's <c>$EPOCHREALTIME</c>, a builtin, so no
    /// extra process) to its output, which <see cref="Measuring.StepStamp"/> reads back from the log.
    /// </summary>
    public static string StampingShell(string id) => $"#!/usr/bin/env bash\necho \"{StepStampPrefix} $EPOCHREALTIME\"\necho \"{id} ran\"\n";

    public const string StepStampPrefix = "bench-stamp";

    private static List<IReadOnlyList<WorkStep>> ComputeLevels(IReadOnlyList<WorkStep> steps)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            depth[step.Id] = step.Parents.Count == 0 ? 0 : step.Parents.Max(p => depth[p]) + 1;
        }

        return steps.GroupBy(s => depth[s.Id]).OrderBy(g => g.Key).Select(g => (IReadOnlyList<WorkStep>)g.ToList()).ToList();
    }
}
