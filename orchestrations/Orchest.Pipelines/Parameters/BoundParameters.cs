using System.Text.Json.Nodes;

namespace Orchest.Pipelines.Parameters;

/// <summary>One parameter set applied to a pipeline: what one job run runs.</summary>
/// <param name="Index">The set's position (the run's index within its tick).</param>
/// <param name="Pipeline">The pipeline with the set's parameters in place.</param>
/// <param name="Parameters">The set as given, steps named by uuid (what the run record shows).</param>
public sealed record BoundParameters(int Index, PipelineDefinition Pipeline, JsonObject Parameters);
