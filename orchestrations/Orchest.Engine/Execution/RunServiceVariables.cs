using System.Text.Json.Nodes;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Orchest.Pipelines.Services;

namespace Orchest.Engine.Execution;

/// <summary>
/// Hands a run's started services to its steps: <c>ORCHEST_SERVICES</c>, Orchest's <c>get_services()</c>
/// shape of each service (from the run's pipeline) at its endpoint, added to the run's variables.
/// </summary>
public static class RunServiceVariables
{
    /// <summary><paramref name="definition"/> with <c>ORCHEST_SERVICES</c> describing <paramref name="endpoints"/>.</summary>
    public static RunDefinition With(RunDefinition definition, string pipelinePath, IReadOnlyList<ServiceEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(endpoints);
        var pipeline = PipelineFile.Parse(definition.PipelineJson, pipelinePath).Pipeline;
        var declared = pipeline is null ? [] : PipelineServices.Read(pipeline, null, []);
        var described = new JsonObject();
        foreach (var endpoint in endpoints)
        {
            if (declared.FirstOrDefault(s => s.Name == endpoint.Name) is { } service)
            {
                described[endpoint.Name] = ServiceDescription.Of(service, endpoint.Host, endpoint.Ports);
            }
        }

        var variables = new Dictionary<string, string>(definition.EnvironmentVariables, StringComparer.Ordinal)
        {
            [ServiceDescription.Variable] = described.ToJsonString(),
        };
        return definition with { EnvironmentVariables = variables };
    }
}
