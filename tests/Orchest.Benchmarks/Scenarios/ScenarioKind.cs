namespace Orchest.Benchmarks.Scenarios;

/// <summary>What a scenario measures, so each contender knows whether it applies.</summary>
public enum ScenarioKind
{
    /// <summary>A DAG of steps run to the end: every DAG contender (orchest, make, Snakemake, raw) runs it.</summary>
    Dag,

    /// <summary>Time from asking for a run (served: <c>POST .../runs</c>) to the first step process starting.</summary>
    Trigger,

    /// <summary>Steps in containers (orchest's docker runner) against raw <c>podman run</c>s of the same image.</summary>
    Container,
}
