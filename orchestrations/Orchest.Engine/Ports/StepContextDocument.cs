using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Orchest.Engine.Ports;

/// <summary>The step context file (PROTOCOL.md §2).</summary>
public sealed record StepContextDocument
{
    [JsonPropertyName("protocol")]
    public int Protocol { get; init; } = 1;

    [JsonPropertyName("run_uuid")]
    public required string RunUuid { get; init; }

    [JsonPropertyName("pipeline_uuid")]
    public required string PipelineUuid { get; init; }

    [JsonPropertyName("step_uuid")]
    public required string StepUuid { get; init; }

    [JsonPropertyName("step_title")]
    public required string StepTitle { get; init; }

    [JsonPropertyName("attempt")]
    public required int Attempt { get; init; }

    [JsonPropertyName("output")]
    public required StepLocation Output { get; init; }

    [JsonPropertyName("inputs")]
    public required IReadOnlyList<StepInput> Inputs { get; init; }

    [JsonPropertyName("step_parameters")]
    public required JsonObject StepParameters { get; init; }

    [JsonPropertyName("pipeline_parameters")]
    public required JsonObject PipelineParameters { get; init; }

    /// <summary>The same document with every local path rewritten (a container sees the host's folders elsewhere).</summary>
    public StepContextDocument MapPaths(Func<string, string> map)
    {
        static StepLocation? Map(StepLocation? location, Func<string, string> f) =>
            location is { Kind: "dir", Path: { } path } ? location with { Path = f(path) } : location;

        return this with
        {
            Output = Map(Output, map)!,
            Inputs = Inputs.Select(i => i with { Location = Map(i.Location, map) }).ToList(),
        };
    }
}
