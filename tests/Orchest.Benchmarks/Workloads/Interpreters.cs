namespace Orchest.Benchmarks.Workloads;

/// <summary>The interpreters every contender uses (orchest's process runner defaults: bash, /usr/bin/python3).</summary>
public sealed record Interpreters(string Bash, string Python)
{
    public static Interpreters Default { get; } = new(
        "bash", File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

    public string For(StepKind kind) => kind == StepKind.Python ? Python : Bash;
}
