namespace Orchest.Benchmarks.Workloads;

/// <summary>
/// One step of a workload. <see cref="PeerScript"/> is what make, Snakemake and the raw bounds run;
/// <see cref="OrchestScript"/> is what orchest runs (the same unless data passes through the step SDK,
/// where peers pass the same bytes through files instead).
/// </summary>
public sealed record WorkStep(string Id, StepKind Kind, IReadOnlyList<string> Parents, string PeerScript, string? OrchestScript = null)
{
    public string FileName => Id + (Kind == StepKind.Python ? ".py" : ".sh");

    public string ScriptFor(bool orchest) => orchest ? OrchestScript ?? PeerScript : PeerScript;
}
