using System.Globalization;
using System.Text.Json.Nodes;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// The built <c>orchest</c> binary as a user runs it: <c>orchest run &lt;project&gt; --json --quiet
/// --parallelism P</c>, timed end to end (process start-up included); the run record gives the engine
/// wall and Σ step run time. On the trigger scenario: from just before the process starts to the
/// step's own stamp (read from its log under <c>.orchest/</c>). With <c>--runner docker</c> it is the
/// container contender (<c>orchest-docker</c>).
/// </summary>
public class OrchestCliContender(string orchestPath) : IContender
{
    protected string OrchestPath => orchestPath;

    public virtual string Name => ContenderNames.Orchest;
    public virtual string Description => "orchest run --json --quiet --parallelism P (the built binary, end to end; trigger: process start to first step)";
    public virtual string? Unavailable => File.Exists(orchestPath) ? null : $"{orchestPath} not built";
    public virtual bool WarmUp => false;

    public virtual IEnumerable<string> Notes => [];

    public virtual bool Supports(IScenario scenario) => scenario.Kind is ScenarioKind.Dag or ScenarioKind.Trigger;

    public virtual Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default) =>
        RunCliAsync(workload, context, [], cancellationToken);

    protected async Task<Sample> RunCliAsync(
        Workload workload, RunContext context, IReadOnlyList<string> extra, CancellationToken cancellationToken, string environment = "")
    {
        OrchestProject.Write(workload, context.Directory, environment);
        string[] arguments =
        [
            "run", context.Directory, "--json", "--quiet", "--parallelism", context.Parallelism.ToString(CultureInfo.InvariantCulture),
            "--data-dir", Path.Combine(context.Directory, ".data"), .. extra,
        ];
        var asked = DateTimeOffset.UtcNow;
        var result = (await ChildProcess.RunAsync(orchestPath, arguments, context.Directory, context.Timeout, cancellationToken)).EnsureSuccess("orchest run");
        var record = JsonNode.Parse(result.Output)!.AsObject();
        var sample = RunRecordTimes.ToSample(result.Elapsed, record, workload) with { PeakMemory = result.PeakMemory };
        if (workload.Kind != ScenarioKind.Trigger)
        {
            return sample;
        }

        var log = Directory.EnumerateFiles(Path.Combine(context.Directory, ".orchest", "pipelines"), "*.log", SearchOption.AllDirectories).Single();
        var step = record["steps"]![0]!;
        return new Sample(StepStamp.Parse(await File.ReadAllTextAsync(log, cancellationToken), log) - asked,
            StepRecorded: step["started"]!.GetValue<DateTimeOffset>() - asked);
    }
}
