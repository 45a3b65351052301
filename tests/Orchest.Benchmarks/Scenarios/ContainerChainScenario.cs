using Orchest.Benchmarks.Contenders;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>N trivial steps in a chain, each in its own container: the per-step container overhead.</summary>
public sealed class ContainerChainScenario : IScenario
{
    public string Name => "container-chain10";
    public string Description => "trivial .sh steps in a chain, each in a container; gap/step = (wall - sum of step run time) / steps";
    public ScenarioKind Kind => ScenarioKind.Container;
    public string? Unavailable => null;
    public string RawBaseline => ContenderNames.RawPodman;

    public Workload Build(ScenarioSizes sizes)
    {
        var steps = new List<WorkStep>();
        for (var i = 1; i <= sizes.ContainerChain; i++)
        {
            var id = Workload.StepId(i, sizes.ContainerChain);
            steps.Add(new WorkStep(id, StepKind.Shell, i == 1 ? [] : [steps[^1].Id], Workload.TrivialShell(id)));
        }

        return new Workload(Name, steps, ScenarioKind.Container);
    }
}
