namespace Orchest.Functions.Api;

/// <summary><c>GET /api/health</c>: no key needed; says which roles this host runs.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", (Microsoft.Extensions.Options.IOptions<Hosting.OrchestHostOptions> options) =>
                TypedResults.Ok(new HealthResponse("ok", options.Value.Roles)))
            .WithName("Health")
            .WithTags("health");
        return app;
    }

    internal sealed record HealthResponse(string Status, string Roles);
}
