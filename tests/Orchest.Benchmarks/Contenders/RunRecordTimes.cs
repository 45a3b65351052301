using System.Text.Json.Nodes;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>Reads times out of an orchest run record (<c>--json</c> output, or the served API's run).</summary>
public static class RunRecordTimes
{
    /// <summary>The engine wall and Σ step run time.</summary>
    public static Sample ToSample(TimeSpan wall, JsonObject record, Workload workload)
    {
        if ((string?)record["status"] != "SUCCESS")
        {
            var failed = record["steps"]!.AsArray().FirstOrDefault(s => (string?)s!["status"] != "SUCCESS");
            throw new InvalidOperationException($"orchest run ended {(string?)record["status"]}: step {(string?)failed?["title"]} {(string?)failed?["message"]}");
        }

        var steps = record["steps"]!.AsArray();
        if (steps.Count != workload.Steps.Count)
        {
            throw new InvalidOperationException($"orchest ran {steps.Count} steps, the workload has {workload.Steps.Count}.");
        }

        var stepTime = TimeSpan.Zero;
        foreach (var step in steps)
        {
            stepTime += Time(step!["finished"]) - Time(step["started"]);
        }

        return new Sample(wall, Time(record["finished"]) - Time(record["started"]), stepTime);
    }

    /// <summary>
    /// Where the time of a successful run (checked by <see cref="ToSample"/>) went, step by step. The
    /// record's steps are matched to the workload's by title (the workload's step ids), which gives
    /// each step's parents: the API's run does not list them.
    /// </summary>
    public static StepTimeline Timeline(JsonObject record, Workload workload)
    {
        var steps = record["steps"]!.AsArray().ToDictionary(
            s => (string)s!["title"]!, s => (Started: Time(s!["started"]), Finished: Time(s["finished"])), StringComparer.Ordinal);
        var handoffs = workload.Levels.Skip(1)
            .Select(level => level.Min(step => steps[step.Id].Started - step.Parents.Max(parent => steps[parent].Finished)))
            .ToList();
        var widest = workload.Levels.MaxBy(level => level.Count)!.Select(step => steps[step.Id]).ToList();
        var firstStart = widest.Min(s => s.Started);
        var startSpan = (widest.Max(s => s.Started) - firstStart).TotalSeconds;
        var busySpan = (widest.Max(s => s.Finished) - firstStart).TotalSeconds;
        return new StepTimeline(
            StepExecution: Statistics.MedianOf(steps.Values.Select(s => s.Finished - s.Started))!.Value,
            Handoff: Statistics.MedianOf(handoffs),
            FirstStep: steps.Values.Min(s => s.Started) - Time(record["started"]),
            RunEnd: Time(record["finished"]) - steps.Values.Max(s => s.Finished),
            WidestLevel: widest.Count,
            DispatchRate: widest.Count > 1 && startSpan > 0 ? (widest.Count - 1) / startSpan : null,
            Concurrency: widest.Count > 1 && busySpan > 0 ? widest.Sum(s => (s.Finished - s.Started).TotalSeconds) / busySpan : null);
    }

    private static DateTimeOffset Time(JsonNode? node) => node!.GetValue<DateTimeOffset>();
}
