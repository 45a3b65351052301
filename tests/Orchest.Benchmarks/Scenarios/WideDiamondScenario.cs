using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>L layers of W trivial steps, each step depending on every step of the previous layer (dense edges).</summary>
public sealed class WideDiamondScenario : IScenario
{
    public string Name => "wide-diamond";
    public string Description => "layers x width trivial .sh steps, each depending on all steps of the previous layer";
    public ScenarioKind Kind => ScenarioKind.Dag;
    public string? Unavailable => null;

    public Workload Build(ScenarioSizes sizes)
    {
        var count = sizes.DiamondLayers * sizes.DiamondWidth;
        var steps = new List<WorkStep>();
        IReadOnlyList<string> previous = [];
        for (var layer = 0; layer < sizes.DiamondLayers; layer++)
        {
            var current = new List<string>();
            for (var i = 0; i < sizes.DiamondWidth; i++)
            {
                var id = Workload.StepId(steps.Count + 1, count);
                steps.Add(new WorkStep(id, StepKind.Shell, previous, Workload.TrivialShell(id)));
                current.Add(id);
            }

            previous = current;
        }

        return new Workload(Name, steps);
    }
}
