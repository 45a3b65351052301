using System.Globalization;
using System.Text.Json.Nodes;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// The built <c>orchest</c> binary as a user runs it: <c>orchest run &lt;project&gt; --json --quiet
/// --parallelism P</c>, timed end to end (process start-up included); the run record gives the engine
/// wall and Σ step run time.
/// </summary>
public sealed class OrchestCliContender(string orchestPath) : IContender
{
    public string Name => ContenderNames.Orchest;
    public string Description => "orchest run --json --quiet --parallelism P (the built binary, end to end)";
    public string? Unavailable => File.Exists(orchestPath) ? null : $"{orchestPath} not built";
    public bool WarmUp => false;

    public bool Supports(IScenario scenario) => scenario.Kind == ScenarioKind.Dag;

    public async Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default)
    {
        OrchestProject.Write(workload, context.Directory);
        var result = (await ChildProcess.RunAsync(
            orchestPath,
            ["run", context.Directory, "--json", "--quiet", "--parallelism", context.Parallelism.ToString(CultureInfo.InvariantCulture),
             "--data-dir", Path.Combine(context.Directory, ".data")],
            context.Directory, context.Timeout, cancellationToken)).EnsureSuccess("orchest run");
        var record = JsonNode.Parse(result.Output)!.AsObject();
        return RunRecordTimes.ToSample(result.Elapsed, record, workload);
    }
}
