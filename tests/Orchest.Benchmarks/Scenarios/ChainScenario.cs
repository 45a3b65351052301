using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>N trivial .sh steps in a chain: the per-step start overhead, nothing hidden by parallelism.</summary>
public sealed class ChainScenario : IScenario
{
    public string Name => "chain40";
    public string Description => "trivial .sh steps in a chain; per-step overhead = (wall - sum of step run time) / steps";
    public ScenarioKind Kind => ScenarioKind.Dag;
    public string? Unavailable => null;

    public Workload Build(ScenarioSizes sizes)
    {
        var steps = new List<WorkStep>();
        for (var i = 1; i <= sizes.Chain; i++)
        {
            var id = Workload.StepId(i, sizes.Chain);
            steps.Add(new WorkStep(id, StepKind.Shell, i == 1 ? [] : [steps[^1].Id], Workload.TrivialShell(id)));
        }

        return new Workload(Name, steps);
    }
}
