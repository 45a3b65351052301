using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// <c>orchest run --sandbox none</c>: the embedded CLI without the bubblewrap sandbox, so the table
/// shows what the sandbox costs per step beside the default (sandboxed) <c>orchest</c> row.
/// </summary>
public sealed class OrchestUnsandboxedContender(string orchestPath) : OrchestCliContender(orchestPath)
{
    public override string Name => "orchest-nosandbox";
    public override string Description => "orchest run --sandbox none --json --quiet --parallelism P (no bubblewrap sandbox per step)";

    public override Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default) =>
        RunCliAsync(workload, context, ["--sandbox", "none"], cancellationToken);
}
