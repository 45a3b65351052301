namespace Orchest.Benchmarks.Scenarios;

/// <summary>What a scenario measures, so each contender knows whether it applies.</summary>
public enum ScenarioKind
{
    /// <summary>A DAG of steps run to the end: every DAG contender (orchest, make, Snakemake, raw) runs it.</summary>
    Dag,

    /// <summary>Served mode: time from <c>POST .../runs</c> to the first step process starting.</summary>
    Trigger,

    /// <summary>A trivial container step against a raw <c>podman run</c>.</summary>
    Container,
}
