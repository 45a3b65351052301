using System.Text.Json;
using System.Text.Json.Nodes;
using Orchest.Benchmarks.Contenders;
using Orchest.Benchmarks.Measuring;

namespace Orchest.Benchmarks.Reporting;

/// <summary>The results as JSON: settings, then per scenario and contender every sample and the derived figures (seconds, ms).</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task WriteAsync(BenchmarkReport report, string path, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, ToJson(report).ToJsonString(Indented), cancellationToken);
    }

    public static JsonObject ToJson(BenchmarkReport report) => new()
    {
        ["started"] = report.Started,
        ["finished"] = report.Finished,
        ["machine"] = report.Machine,
        ["load_average_start"] = report.LoadAtStart,
        ["load_average_end"] = report.LoadAtEnd,
        ["repetitions"] = report.Repetitions,
        ["parallelism"] = report.Parallelism,
        ["sizes"] = report.Sizes,
        ["smoke"] = report.Smoke,
        ["orchest_binary"] = report.OrchestBinary,
        ["contenders"] = new JsonObject(report.ContenderDescriptions.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))),
        ["scenarios"] = new JsonArray(report.Scenarios.Select(s => (JsonNode)Scenario(s)).ToArray()),
        ["notes"] = new JsonArray(report.Notes.Select(n => (JsonNode)n).ToArray()),
    };

    private static JsonObject Scenario(ScenarioResult scenario) => new()
    {
        ["name"] = scenario.Scenario,
        ["description"] = scenario.Description,
        ["unavailable"] = scenario.Unavailable,
        ["steps"] = scenario.Steps,
        ["is_chain"] = scenario.IsChain,
        ["kind"] = scenario.Kind.ToString().ToLowerInvariant(),
        ["raw_baseline"] = scenario.RawBaseline,
        ["contenders"] = new JsonArray(scenario.Contenders.Select(c => (JsonNode)Contender(scenario, c)).ToArray()),
    };

    private static JsonObject Contender(ScenarioResult scenario, ContenderResult contender) => new()
    {
        ["name"] = contender.Contender,
        ["unavailable"] = contender.Unavailable,
        ["error"] = contender.Error,
        ["capped"] = contender.Capped,
        ["wall_s"] = Stats(contender.Wall),
        ["record_wall_s"] = Stats(contender.EngineWall),
        ["step_time_s"] = Stats(contender.StepTime),
        ["gap_per_step_ms"] = scenario.IsChain && contender.Gap is { } gap ? gap.Median * 1000 / scenario.Steps : null,
        ["overhead_per_step_vs_raw_ms"] = scenario.OverheadPerStepMs(contender),
        ["ratio_vs_make"] = scenario.Ratio(contender, ContenderNames.Make),
        ["ratio_vs_snakemake"] = scenario.Ratio(contender, ContenderNames.Snakemake),
        ["ratio_vs_raw"] = scenario.Ratio(contender, scenario.RawBaseline),
        ["timeline"] = Timeline(contender.Timeline),
        ["cpu_per_step_ms"] = Cpu(contender.Cpu, scenario.Steps),
        ["samples"] = new JsonArray(contender.Samples.Select(s => (JsonNode)new JsonObject
        {
            ["wall_s"] = s.Wall.TotalSeconds,
            ["record_wall_s"] = s.EngineWall?.TotalSeconds,
            ["time_to_step_recorded_s"] = s.StepRecorded?.TotalSeconds,
            ["step_time_s"] = s.StepTime?.TotalSeconds,
            ["transition_conflicts"] = s.Conflicts,
            ["timeline"] = Timeline(s.Timeline),
            ["cpu_per_step_ms"] = Cpu(s.Cpu, scenario.Steps),
        }).ToArray()),
    };

    /// <summary>Where a served run's time went (<see cref="StepTimeline"/>; a contender's: each figure's median over its samples).</summary>
    private static JsonObject? Timeline(StepTimeline? timeline) => timeline is null
        ? null
        : new JsonObject
        {
            ["step_execution_ms"] = timeline.StepExecution.TotalMilliseconds,
            ["parent_finished_to_child_started_ms"] = timeline.Handoff?.TotalMilliseconds,
            ["run_started_to_first_step_started_ms"] = timeline.FirstStep.TotalMilliseconds,
            ["last_step_finished_to_run_finished_ms"] = timeline.RunEnd.TotalMilliseconds,
            ["widest_level_steps"] = timeline.WidestLevel,
            ["widest_level_started_per_s"] = timeline.DispatchRate,
            ["widest_level_running_on_average"] = timeline.Concurrency,
        };

    /// <summary>A run's CPU time per step by part (<see cref="CpuUse"/>), in ms.</summary>
    private static JsonObject? Cpu(CpuUse? cpu, int steps) => cpu is null
        ? null
        : new JsonObject
        {
            ["storage"] = cpu.Storage.TotalMilliseconds / steps,
            ["engine"] = cpu.Engine.TotalMilliseconds / steps,
            ["steps"] = cpu.Steps.TotalMilliseconds / steps,
            ["total"] = cpu.Total.TotalMilliseconds / steps,
        };

    private static JsonObject? Stats(Statistics? statistics) => statistics is null
        ? null
        : new JsonObject { ["median"] = statistics.Median, ["min"] = statistics.Min, ["max"] = statistics.Max };
}
