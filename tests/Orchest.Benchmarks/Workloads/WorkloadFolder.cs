namespace Orchest.Benchmarks.Workloads;

/// <summary>Writes a workload's step files into a fresh folder; each contender adds its own DAG description.</summary>
public static class WorkloadFolder
{
    public static void WriteSteps(Workload workload, string directory, bool orchest)
    {
        Directory.CreateDirectory(directory);
        foreach (var step in workload.Steps)
        {
            File.WriteAllText(Path.Combine(directory, step.FileName), step.ScriptFor(orchest));
        }
    }

    /// <summary>The command line that runs a step, as make, Snakemake and the raw bounds spell it.</summary>
    public static string CommandLine(WorkStep step, Interpreters interpreters) =>
        $"{(step.Kind == StepKind.Python ? interpreters.Python : interpreters.Bash)} {step.FileName}";
}
