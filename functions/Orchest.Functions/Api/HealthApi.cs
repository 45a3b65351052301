using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Api;

/// <summary><c>GET /api/health</c>: no key needed; says which roles this host runs.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", Get)
            .WithName("Health")
            .WithTags("health");
        return app;
    }

    internal static Ok<HealthResponse> Get(IOptions<OrchestHostOptions> options) => TypedResults.Ok(new HealthResponse("ok", options.Value.Roles));

    internal sealed record HealthResponse(string Status, string Roles);
}
