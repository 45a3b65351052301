using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>
/// Time from asking for a run to the first step's process running: the step writes the wall clock as
/// its first action and the harness subtracts its own clock taken right before it asked. Served
/// orchest asks with <c>POST /api/projects/{id}/runs</c> (on an idle host, and right after a previous
/// run); the embedded CLI from process start; raw bash from spawning the step directly (the bound).
/// </summary>
public sealed class TriggerScenario : IScenario
{
    public string Name => "trigger";
    public string Description => "time from asking for a run (served: client POST .../runs) to the first step's process running";
    public ScenarioKind Kind => ScenarioKind.Trigger;
    public string? Unavailable => null;

    public Workload Build(ScenarioSizes sizes) =>
        new(Name, [new WorkStep("s001", StepKind.Shell, [], Workload.StampingShell("s001"))], ScenarioKind.Trigger);
}
