using System.Globalization;
using System.Text;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>GNU make with a generated Makefile: one phony target per step, prerequisites = parents, <c>make -s -j P</c>.</summary>
public sealed class MakeContender : IContender
{
    private readonly string? _make = Executables.Find("make");

    public string Name => ContenderNames.Make;
    public string Description => "GNU make -s -j P, generated Makefile (phony target per step)";
    public string? Unavailable => _make is null ? "make not installed" : null;
    public bool WarmUp => false;

    public bool Supports(IScenario scenario) => scenario.Kind == ScenarioKind.Dag;

    public async Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default)
    {
        WorkloadFolder.WriteSteps(workload, context.Directory, orchest: false);
        var makefile = new StringBuilder();
        makefile.Append(".PHONY: all ").AppendJoin(' ', workload.Steps.Select(s => s.Id)).Append('\n');
        makefile.Append("all: ").AppendJoin(' ', workload.Sinks.Select(s => s.Id)).Append('\n');
        foreach (var step in workload.Steps)
        {
            // No shell metacharacters: make execs the interpreter directly, as orchest does.
            makefile.Append(step.Id).Append(':').AppendJoin("", step.Parents.Select(p => " " + p)).Append('\n')
                .Append('\t').Append(WorkloadFolder.CommandLine(step, context.Interpreters)).Append('\n');
        }

        await File.WriteAllTextAsync(Path.Combine(context.Directory, "Makefile"), makefile.ToString(), cancellationToken);
        var result = await ChildProcess.RunAsync(
            _make!, ["-s", "-j", context.Parallelism.ToString(CultureInfo.InvariantCulture), "-f", "Makefile", "all"],
            context.Directory, context.Timeout, cancellationToken);
        return new Sample(result.EnsureSuccess("make").Elapsed);
    }
}
