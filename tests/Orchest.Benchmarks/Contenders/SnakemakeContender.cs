using System.Globalization;
using System.Text;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// Snakemake with a generated Snakefile, written as a Snakemake user would: steps that share their
/// parents and interpreter become one wildcard rule (a fan-out is one rule, a diamond layer is one
/// rule), a step of its own is a plain rule; <c>touch()</c> outputs carry the dependencies.
/// Run as <c>snakemake --cores P --quiet</c>.
/// </summary>
public sealed class SnakemakeContender : IContender
{
    private readonly string? _snakemake = Executables.Find("snakemake");

    public string Name => ContenderNames.Snakemake;
    public string Description => "snakemake --cores P --quiet, generated Snakefile (wildcard rule per group of same-parent steps)";
    public string? Unavailable => _snakemake is null ? "snakemake not installed" : null;
    public bool WarmUp => false;

    public bool Supports(IScenario scenario) => scenario.Kind == ScenarioKind.Dag;

    public async Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default)
    {
        WorkloadFolder.WriteSteps(workload, context.Directory, orchest: false);
        await File.WriteAllTextAsync(Path.Combine(context.Directory, "Snakefile"), Snakefile(workload, context.Interpreters), cancellationToken);
        var result = await ChildProcess.RunAsync(
            _snakemake!, ["--snakefile", "Snakefile", "--cores", context.Parallelism.ToString(CultureInfo.InvariantCulture), "--quiet"],
            context.Directory, context.Timeout, cancellationToken);
        return new Sample(result.EnsureSuccess("snakemake").Elapsed);
    }

    private static string Snakefile(Workload workload, Interpreters interpreters)
    {
        var groups = workload.Steps
            .GroupBy(s => (Parents: string.Join(' ', s.Parents), s.Kind))
            .Select((g, i) => (Index: i, Steps: g.ToList(), g.Key.Kind))
            .ToList();
        var doneFile = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (index, steps, _) in groups)
        {
            foreach (var step in steps)
            {
                doneFile[step.Id] = $"done/g{index}/{step.Id}";
            }
        }

        static string Quoted(IEnumerable<string> files) => string.Join(", ", files.Select(f => $"\"{f}\""));
        var text = new StringBuilder();
        text.Append("rule all:\n    input: ").Append(Quoted(workload.Sinks.Select(s => doneFile[s.Id]))).Append("\n\n");
        foreach (var (index, steps, kind) in groups)
        {
            var inputs = steps[0].Parents.Select(p => doneFile[p]).ToList();
            var interpreter = interpreters.For(kind);
            var extension = Path.GetExtension(steps[0].FileName);
            text.Append(CultureInfo.InvariantCulture, $"rule g{index}:\n");
            if (inputs.Count > 0)
            {
                text.Append("    input: ").Append(Quoted(inputs)).Append('\n');
            }

            if (steps.Count == 1)
            {
                text.Append(CultureInfo.InvariantCulture, $"    output: touch(\"{doneFile[steps[0].Id]}\")\n");
                text.Append(CultureInfo.InvariantCulture, $"    shell: \"{interpreter} {steps[0].FileName}\"\n\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"    output: touch(\"done/g{index}/{{id}}\")\n");
                text.Append(CultureInfo.InvariantCulture, $"    shell: \"{interpreter} {{wildcards.id}}{extension}\"\n\n");
            }
        }

        return text.ToString();
    }
}
