using Microsoft.Extensions.Options;
using Orchest.Functions.Hosting;
using Orchest.Functions.Ui;

namespace Orchest.Functions.Api;

/// <summary>The HTTP functions (role "api") and their middleware.</summary>
public static class FunctionEndpoints
{
    public static WebApplication MapOrchestFunctions(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<BodyLimitMiddleware>();
        app.MapHealthApi();
        if (!app.Services.GetRequiredService<IOptions<OrchestHostOptions>>().Value.HasRole("api"))
        {
            return app;
        }

        app.MapOpenApi("/openapi/{documentName}.json");
        var api = app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>();
        api.MapProjectsApi();
        api.MapRunsApi();
        api.MapJobsApi();
        api.MapStepArtifactsApi();
        api.MapServiceLogsApi();
        api.MapEventsApi();
        api.MapWebhooksApi();
        app.MapGitHookApi();
        app.MapOrchestUi();
        return app;
    }
}
