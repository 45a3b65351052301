using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>
/// Served mode: time from <c>POST .../runs</c> to the first step process starting. Reserved until
/// served mode lands; then a served-orchest contender supporting <see cref="ScenarioKind.Trigger"/>
/// measures it on this one-step workload.
/// </summary>
public sealed class TriggerScenario : IScenario
{
    public string Name => "trigger";
    public string Description => "served mode: POST .../runs to the first step process starting (Azurite)";
    public ScenarioKind Kind => ScenarioKind.Trigger;
    public string? Unavailable => "needs served mode";

    public Workload Build(ScenarioSizes sizes) =>
        new(Name, [new WorkStep("s001", StepKind.Shell, [], Workload.TrivialShell("s001"))]);
}
