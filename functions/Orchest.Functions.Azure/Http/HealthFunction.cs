using Microsoft.AspNetCore.Http;
using Orchest.Functions.Api;

namespace Orchest.Functions.Azure.Http;

/// <summary><c>GET /api/health</c> (serve's <c>HealthApi</c>): no key needed.</summary>
public sealed class HealthFunction(ApiHandlers api)
{
    [Function("Health")]
    public Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        api.InvokeAsync(request, HealthApi.Get);
}
