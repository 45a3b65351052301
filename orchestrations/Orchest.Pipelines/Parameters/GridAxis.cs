using System.Text.Json.Nodes;

namespace Orchest.Pipelines.Parameters;

/// <summary>One parameter of a grid and the values it takes.</summary>
/// <param name="Scope"><see cref="ParameterSet.PipelineKey"/> or a step reference (uuid or title).</param>
/// <param name="Name">The parameter's name.</param>
/// <param name="Values">Its values, in order (at least one).</param>
public sealed record GridAxis(string Scope, string Name, IReadOnlyList<JsonNode?> Values);
