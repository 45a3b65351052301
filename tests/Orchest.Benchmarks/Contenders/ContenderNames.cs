namespace Orchest.Benchmarks.Contenders;

/// <summary>Names of the contenders the table's ratio columns compare against.</summary>
public static class ContenderNames
{
    public const string Orchest = "orchest";
    public const string Make = "make";
    public const string Snakemake = "snakemake";
    public const string RawBash = "raw-bash";
    public const string RawPodman = "raw-podman";
    public const string OrchestServed = "orchest-served";

    /// <summary>Served with steps outside the sandbox: the sandbox's share of a served run.</summary>
    public const string OrchestServedNoSandbox = "orchest-served-nosandbox";

    /// <summary>Durable Task alone on the same Azurite: the served scenarios' lower bound.</summary>
    public const string RawDurableTask = "raw-durabletask";

    /// <summary>The old served engine (Tables/Queues state machine, built from a pinned commit) beside the new one.</summary>
    public const string OrchestServedV1 = "orchest-served-v1";
}
