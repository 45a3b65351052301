using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>Writes a workload as an Orchest project: the step files and one <c>bench.orchest</c> pipeline.</summary>
public static class OrchestProject
{
    public const string PipelineFile = "bench.orchest";

    public static void Write(Workload workload, string directory, string environment = "")
    {
        WorkloadFolder.WriteSteps(workload, directory, orchest: true);
        var pipelineUuid = Uuid("pipeline/" + workload.Name);
        var steps = new JsonObject();
        foreach (var step in workload.Steps)
        {
            var uuid = Uuid(pipelineUuid + "/" + step.Id);
            steps[uuid] = new JsonObject
            {
                ["uuid"] = uuid,
                ["title"] = step.Id,
                ["file_path"] = step.FileName,
                ["incoming_connections"] = new JsonArray(step.Parents.Select(p => (JsonNode)Uuid(pipelineUuid + "/" + p)).ToArray()),
                ["environment"] = environment,
                ["kernel"] = new JsonObject { ["name"] = "python", ["display_name"] = "Python 3" },
                ["parameters"] = new JsonObject(),
                ["meta_data"] = new JsonObject { ["hidden"] = false, ["position"] = new JsonArray(0, 0) },
            };
        }

        var pipeline = new JsonObject
        {
            ["name"] = workload.Name,
            ["uuid"] = pipelineUuid,
            ["version"] = "1.2.3",
            ["settings"] = new JsonObject { ["auto_eviction"] = false, ["data_passing_memory_size"] = "1GB", ["max_steps_parallelism"] = 0 },
            ["parameters"] = new JsonObject(),
            ["steps"] = steps,
        };
        File.WriteAllText(Path.Combine(directory, PipelineFile), pipeline.ToJsonString());
    }

    private static string Uuid(string seed) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16)).ToString();
}
