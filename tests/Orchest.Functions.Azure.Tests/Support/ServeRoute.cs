using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Azure.Tests.Support;

/// <summary>An HTTP route of <c>orchest serve</c>'s API: its endpoint name, methods and template (without the leading slash).</summary>
public sealed record ServeRoute(string Name, IReadOnlyList<string> Methods, string Route)
{
    /// <summary>The routes serve maps under /api, read from the host it builds (not started: nothing is contacted).</summary>
    public static async Task<IReadOnlyList<ServeRoute>> ReadAsync()
    {
        await using var app = FunctionHost.Build(["--ORCHEST_API_KEY=test-key-for-routes", "--Orchest:Roles=api"]);
        return ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .Select(endpoint => new ServeRoute(
                endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
                    ?? throw new InvalidOperationException($"serve's route {endpoint.RoutePattern.RawText} has no name (WithName)."),
                endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.ToList() ?? [],
                endpoint.RoutePattern.RawText!.Trim('/')))
            .ToList();
    }
}
