using System.Text.Json.Nodes;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>Reads the engine wall and Σ step run time out of an orchest run record (<c>--json</c> output).</summary>
public static class RunRecordTimes
{
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
            stepTime += Between(step!["started"], step["finished"]);
        }

        return new Sample(wall, Between(record["started"], record["finished"]), stepTime);
    }

    private static TimeSpan Between(JsonNode? started, JsonNode? finished) =>
        finished!.GetValue<DateTimeOffset>() - started!.GetValue<DateTimeOffset>();
}
