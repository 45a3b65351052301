using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>
/// A trivial container step against a raw <c>podman run</c> of the same image. Reserved until the
/// container runner lands; then a container-runner contender and a raw-podman contender, both
/// supporting <see cref="ScenarioKind.Container"/>, measure it on this one-step workload.
/// </summary>
public sealed class ContainerScenario : IScenario
{
    public string Name => "container";
    public string Description => "a trivial container step vs raw podman run";
    public ScenarioKind Kind => ScenarioKind.Container;
    public string? Unavailable => "needs container runner";

    public Workload Build(ScenarioSizes sizes) =>
        new(Name, [new WorkStep("s001", StepKind.Shell, [], Workload.TrivialShell("s001"))]);
}
