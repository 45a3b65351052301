namespace Orchest.Benchmarks.Workloads;

/// <summary>The interpreter a step file needs; every contender runs the same file with the same interpreter.</summary>
public enum StepKind
{
    Shell,
    Python,
}
