using System.Globalization;
using System.Text;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// The raw lower bound: a generated bash script that runs the DAG level by level, a lone step
/// directly and a level of several through <c>xargs -P P</c>. For the scenarios here (chains and
/// layers that depend on all of the previous layer) level order is exactly the dependency order.
/// </summary>
public sealed class RawShellContender : IContender
{
    public string Name => ContenderNames.RawBash;
    public string Description => "bash script: steps level by level, xargs -P P within a level (no bookkeeping at all); trigger: spawning the step's bash directly";
    public string? Unavailable => Executables.Find("xargs") is null ? "xargs not installed" : null;
    public bool WarmUp => false;

    public bool Supports(IScenario scenario) => scenario.Kind is ScenarioKind.Dag or ScenarioKind.Trigger;

    public async Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default)
    {
        WorkloadFolder.WriteSteps(workload, context.Directory, orchest: false);
        if (workload.Kind == ScenarioKind.Trigger)
        {
            // The bound for "ask for a run, see its first step running": spawn the step's interpreter directly.
            var step = workload.Steps[0];
            var asked = DateTimeOffset.UtcNow;
            var spawned = (await ChildProcess.RunAsync(
                context.Interpreters.For(step.Kind), [step.FileName], context.Directory, context.Timeout, cancellationToken)).EnsureSuccess("bash");
            return new Sample(StepStamp.Parse(spawned.Output, "the step output") - asked);
        }

        var script = new StringBuilder("set -euo pipefail\n");
        foreach (var level in workload.Levels)
        {
            if (level.Count == 1)
            {
                script.Append(WorkloadFolder.CommandLine(level[0], context.Interpreters)).Append('\n');
                continue;
            }

            foreach (var kind in level.GroupBy(s => s.Kind))
            {
                script.Append("printf '%s\\n' ").AppendJoin(' ', kind.Select(s => s.FileName))
                    .Append(CultureInfo.InvariantCulture, $" | xargs -P {context.Parallelism} -n 1 {context.Interpreters.For(kind.Key)}\n");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(context.Directory, "run.sh"), script.ToString(), cancellationToken);
        var result = await ChildProcess.RunAsync(context.Interpreters.Bash, ["run.sh"], context.Directory, context.Timeout, cancellationToken);
        return new Sample(result.EnsureSuccess("raw bash").Elapsed);
    }
}
