using Orchest.Benchmarks.Contenders;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>
/// One benchmark scenario. Adding a scenario is one class implementing this and one line in
/// <see cref="ScenarioCatalog"/>; the contenders that support its <see cref="Kind"/> run it.
/// </summary>
public interface IScenario
{
    string Name { get; }

    string Description { get; }

    ScenarioKind Kind { get; }

    /// <summary>Null when the scenario can run here; otherwise why not (shown as "n/a (...)" in the table).</summary>
    string? Unavailable { get; }

    /// <summary>The raw lower bound the "overhead/step vs raw" and "× raw" columns compare with.</summary>
    string RawBaseline => ContenderNames.RawBash;

    Workload Build(ScenarioSizes sizes);
}
