using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>One root, N parallel trivial steps, one join: scheduling throughput under the parallelism cap.</summary>
public sealed class FanOutScenario : IScenario
{
    public string Name => "fanout1000";
    public string Description => "one root, N parallel trivial .sh steps, one join step";
    public ScenarioKind Kind => ScenarioKind.Dag;
    public string? Unavailable => null;

    public Workload Build(ScenarioSizes sizes)
    {
        var count = sizes.FanOut + 2;
        var root = Workload.StepId(1, count);
        var steps = new List<WorkStep> { new(root, StepKind.Shell, [], Workload.TrivialShell(root)) };
        for (var i = 2; i <= sizes.FanOut + 1; i++)
        {
            var id = Workload.StepId(i, count);
            steps.Add(new WorkStep(id, StepKind.Shell, [root], Workload.TrivialShell(id)));
        }

        var join = Workload.StepId(count, count);
        steps.Add(new WorkStep(join, StepKind.Shell, steps.Skip(1).Select(s => s.Id).ToList(), Workload.TrivialShell(join)));
        return new Workload(Name, steps);
    }
}
