using System.Globalization;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// Which served engine a <see cref="ServedHost"/> runs, and the settings that engine understands. The
/// benchmark measures the current one (runs as Durable Task orchestrations) beside the previous one
/// (our own Tables/Queues state machine, built by infra/bench.sh from a pinned commit) in one session,
/// on one Azurite: each host gets its own name prefix, so they never share a table, queue, container or
/// task hub (the v1 stem's "v" is no hex digit, so no prefix of one engine can be the other's).
/// </summary>
public sealed class ServedEngine
{
    private readonly bool _durable;
    private readonly bool _unsandboxed;

    private ServedEngine(string contenderName, string prefixStem, bool durable, string summary, bool unsandboxed = false)
    {
        ContenderName = contenderName;
        PrefixStem = prefixStem;
        Summary = summary;
        _durable = durable;
        _unsandboxed = unsandboxed;
    }

    /// <summary>Served runs as Durable Task orchestrations (the <c>orchest</c> built from this checkout).</summary>
    public static ServedEngine Durable { get; } = new(
        ContenderNames.OrchestServed, "bench", durable: true,
        "the current engine (Durable Task orchestrations on DurableTask.AzureStorage), built from this checkout");

    /// <summary>
    /// The current engine with process steps outside the bubblewrap sandbox (<c>Orchest:Runners:Process:Sandbox=None</c>):
    /// beside <see cref="Durable"/> it shows what the per-step sandbox costs a served run ("ns": no hex digit, see above).
    /// </summary>
    public static ServedEngine DurableUnsandboxed { get; } = new(
        ContenderNames.OrchestServedNoSandbox, "benchns", durable: true,
        "the current engine with Orchest:Runners:Process:Sandbox=None (steps unsandboxed), built from this checkout", unsandboxed: true);

    /// <summary>The old engine: runs as rows and queue messages of our own state machine (commit pinned in infra/bench.sh).</summary>
    public static ServedEngine TablesAndQueues { get; } = new(
        ContenderNames.OrchestServedV1, "benchv1", durable: false,
        "the old engine (our own Tables/Queues state machine), built by infra/bench.sh from its pinned commit ORCHEST_V1_COMMIT");

    /// <summary>The contenders' name (the warm trigger variant adds "-warm").</summary>
    public string ContenderName { get; }

    /// <summary>Start of the host's storage name prefix (a random suffix makes it unique per session).</summary>
    public string PrefixStem { get; }

    public string Summary { get; }

    /// <summary>
    /// True for the old engine, a build of a past commit: its failing to start says nothing about this
    /// checkout, so its rows read n/a with why instead of failing the benchmark.
    /// </summary>
    public bool StartFailureIsUnavailable => !_durable;

    /// <summary>
    /// The engine's own settings for a host with name prefix <paramref name="prefix"/>. The current engine
    /// gets its task hub named explicitly ("orchest" + prefix is also its default): a fresh hub per session,
    /// so no history or partition lease of an earlier session slows it. Both get HostParallelism =
    /// the benchmark's parallelism (the new engine's activity slots; the old worker's step slots) and a
    /// local folder of their own (the default is one temp folder shared by every host on the machine).
    /// </summary>
    public IEnumerable<string> Settings(string prefix, int parallelism, string localDirectory)
    {
        yield return $"--Orchest:Storage:NamePrefix={prefix}";
        yield return $"--Orchest:Storage:LocalDirectory={localDirectory}";
        yield return $"--Orchest:Engine:HostParallelism={parallelism.ToString(CultureInfo.InvariantCulture)}";
        if (_durable)
        {
            yield return $"--Orchest:TaskHub:Name={TaskHub(prefix)}";
            if (_unsandboxed)
            {
                yield return "--Orchest:Runners:Process:Sandbox=None";
            }
        }
        else
        {
            // The old worker names itself in step leases; the default (machine:pid) would do, this reads better in its rows.
            yield return $"--Orchest:Engine:WorkerId={prefix}";
        }
    }

    /// <summary>What a host of this engine is, for the contender descriptions (the old engine's binary path names its commit).</summary>
    public string Describe(int parallelism, string? binary) => _durable
        ? string.Create(CultureInfo.InvariantCulture,
            $"{Summary}; Orchest:Engine:HostParallelism={parallelism} (= its activity slots), task hub orchest<prefix> (new each session), the product's defaults for the other task hub settings")
        : string.Create(CultureInfo.InvariantCulture,
            $"{Summary} ({binary ?? "not built"}); Orchest:Engine:HostParallelism={parallelism}, WorkerId=<prefix>, its defaults otherwise");

    private static string TaskHub(string prefix) => "orchest" + prefix;
}
