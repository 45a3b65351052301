using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>
/// The fan-out at a fixed large size (<c>fanout10000</c>, <c>fanout50000</c>): whether validating,
/// planning and running grow linearly with the number of steps, and how much memory the CLI needs
/// (the table's notes give its peak RSS). Run only when named in <c>--scenarios</c>.
/// </summary>
public sealed class ScaleFanOutScenario(int fanOut) : IScenario
{
    private readonly FanOutScenario _fanOut = new();

    public string Name => $"fanout{fanOut}";
    public string Description => $"the fan-out with {fanOut} parallel trivial .sh steps (scale; only when named in --scenarios)";
    public ScenarioKind Kind => ScenarioKind.Dag;
    public string? Unavailable => null;

    public Workload Build(ScenarioSizes sizes) => new(Name, _fanOut.Build(sizes with { FanOut = fanOut }).Steps);
}
