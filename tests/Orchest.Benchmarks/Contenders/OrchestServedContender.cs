using System.Globalization;
using System.Text.Json.Nodes;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// Orchest in served mode (<see cref="ServedHost"/>, of either engine: <c>orchest-served</c> is the
/// current one, <c>orchest-served-v1</c> the old one): each run is <c>POST /api/projects/{id}/runs</c>.
/// On chain40 and fan-out the wall is from the client's clock right before the POST to the run
/// record's <c>finished</c> (same machine clock; polling never adds to it) and the record gives
/// Σ step run time. On the trigger scenario it is from before the POST to the step's own stamp:
/// <list type="bullet">
/// <item><c>orchest-served</c>: the host was idle for <see cref="BenchmarkOptions.TriggerIdle"/> first
/// (its worker's poll has backed off to its longest wait);</item>
/// <item><c>orchest-served-warm</c>: posted right after a previous run of the same project ended.</item>
/// </list>
/// On chain40 and fan-out each sample also carries the run record's <see cref="StepTimeline"/>: where
/// the per-step time goes (step execution, parent finished → child started, dispatch rate), and the
/// run's <see cref="CpuUse"/> (Azurite, the host, the steps' processes).
/// </summary>
public sealed class OrchestServedContender(ServedHost host, StorageProcesses storage, bool warm, TimeSpan idle) : IContender
{
    public string Name => warm ? host.Engine.ContenderName + "-warm" : host.Engine.ContenderName;

    public string Description => warm
        ? $"served, trigger only: POST right after a previous run of the same project ended (the host of {host.Engine.ContenderName})"
        : string.Create(CultureInfo.InvariantCulture, $"served: POST /api/projects/{{id}}/runs, wall to the run record's finished; trigger after {idle.TotalSeconds:0.#} s idle ({host.Describe()})");

    public string? Unavailable => host.Unavailable;

    /// <summary>
    /// No per-scenario warm-up run (a served fan-out of 1,000 steps takes minutes): the session's warm-up
    /// starts the host; the trigger's first run of its project is an untimed one (commit materialised).
    /// </summary>
    public bool WarmUp => false;

    public IEnumerable<string> Notes => warm || host.UnavailableReads == 0
        ? []
        : [string.Create(CultureInfo.InvariantCulture, $"{Name}: the host answered 503 (storage unavailable) {host.UnavailableReads} time(s) while polled; retried")];

    public bool Supports(IScenario scenario) =>
        scenario.Kind == ScenarioKind.Trigger || (!warm && scenario is ChainScenario or FanOutScenario);

    public async Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default)
    {
        var (project, isNew) = await host.ProjectAsync(workload, cancellationToken);
        if (workload.Kind != ScenarioKind.Trigger)
        {
            var cpu = CpuMeter.Start(storage.Pids, host.ProcessId);
            var (runId, sent) = await host.StartRunAsync(project, cancellationToken);
            var record = await host.WaitAsync(project, runId, context.Timeout, cancellationToken);
            return RunRecordTimes.ToSample(Time(record["finished"]) - sent, record, workload) with
            {
                Timeline = RunRecordTimes.Timeline(record, workload),
                Cpu = cpu?.Stop(),
            };
        }

        if (warm || isNew)
        {
            var (previous, _) = await host.StartRunAsync(project, cancellationToken);
            Succeeded(await host.WaitAsync(project, previous, context.Timeout, cancellationToken));
        }

        if (!warm)
        {
            await Task.Delay(idle, cancellationToken);
        }

        var (run, asked) = await host.StartRunAsync(project, cancellationToken);
        var step = Succeeded(await host.WaitAsync(project, run, context.Timeout, cancellationToken))["steps"]![0]!;
        var stamp = StepStamp.Parse(await host.LogAsync(run, (string)step["uuid"]!, cancellationToken), "the step log");
        return new Sample(stamp - asked, StepRecorded: Time(step["started"]) - asked);
    }

    private static JsonObject Succeeded(JsonObject record) =>
        (string?)record["status"] == "SUCCESS"
            ? record
            : throw new InvalidOperationException($"served run ended {(string?)record["status"]}: {record["steps"]?.ToJsonString()}");

    private static DateTimeOffset Time(JsonNode? node) => node!.GetValue<DateTimeOffset>();
}
