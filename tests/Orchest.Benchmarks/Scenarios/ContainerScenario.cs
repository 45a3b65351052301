using Orchest.Benchmarks.Contenders;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>
/// One trivial step in a container: <c>orchest run --runner docker</c> against a raw
/// <c>podman run --rm --init</c> of the same image with the same mounts.
/// </summary>
public sealed class ContainerScenario : IScenario
{
    public string Name => "container";
    public string Description => "one trivial .sh step in a container (orchest --runner docker vs raw podman run, same image)";
    public ScenarioKind Kind => ScenarioKind.Container;
    public string? Unavailable => null;
    public string RawBaseline => ContenderNames.RawPodman;

    public Workload Build(ScenarioSizes sizes) =>
        new(Name, [new WorkStep("s001", StepKind.Shell, [], Workload.TrivialShell("s001"))], ScenarioKind.Container);
}
