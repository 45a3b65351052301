using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// Something that runs a scenario's workload: orchest in one of its modes, or a peer (make,
/// Snakemake, a raw bound). Adding one (served-mode orchest, raw podman) is one class implementing
/// this and one line in <see cref="ContenderCatalog"/>.
/// </summary>
public interface IContender
{
    string Name { get; }

    string Description { get; }

    /// <summary>Null when it can run on this machine; otherwise why not (e.g. "snakemake not installed").</summary>
    string? Unavailable { get; }

    /// <summary>True when warm-up runs are worth doing (in-process: JIT and caches) before timing.</summary>
    bool WarmUp { get; }

    bool Supports(IScenario scenario);

    /// <summary>One-off measurements or settings worth a line under the table (collected at the end of the session).</summary>
    IEnumerable<string> Notes => [];

    /// <summary>Runs the workload once in <see cref="RunContext.Directory"/> (fresh and empty) and returns what it measured.</summary>
    Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default);
}
