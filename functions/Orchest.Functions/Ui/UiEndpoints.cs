using Orchest.Functions.Api;

namespace Orchest.Functions.Ui;

/// <summary>
/// The web UI at <c>/</c> (role "api"): server-rendered pages for running and watching pipelines, signed in
/// with an API key. Everything it serves comes from this host (no CDN): the pages, one stylesheet and one
/// small script (live status, log tail).
/// </summary>
public static class UiEndpoints
{
    public static WebApplication MapOrchestUi(this WebApplication app)
    {
        var open = app.MapGroup("").AddEndpointFilter<UiHeadersFilter>().AddEndpointFilter<UiErrorFilter>().ExcludeFromDescription();
        open.MapGet("/ui/assets/{name}", UiAssets.Serve);
        open.MapGet("/sign-in", SignInPages.Form);
        open.MapPost("/sign-in", SignInPages.SignInAsync).AddEndpointFilter<UiFormFilter>();

        var ui = open.MapGroup("").AddEndpointFilter<UiSessionFilter>();
        ui.MapGet("/", () => TypedResults.Redirect("/projects"));
        ui.MapPost("/sign-out", SignInPages.SignOut).AddEndpointFilter<UiFormFilter>();
        ui.MapGet("/projects", ProjectPages.ListAsync);
        ui.MapPost("/projects", ProjectPages.AddAsync).AddEndpointFilter<UiFormFilter>();
        ui.MapGet("/projects/{project}", ProjectPages.ShowAsync);
        ui.MapGet("/projects/{project}/runs/new", RunForms.NewAsync);
        ui.MapPost("/projects/{project}/runs", RunForms.StartAsync).AddEndpointFilter<UiFormFilter>();
        ui.MapGet("/projects/{project}/jobs", JobPages.ListAsync);
        ui.MapGet("/projects/{project}/jobs/new", JobForms.NewAsync);
        ui.MapPost("/projects/{project}/jobs", JobForms.CreateAsync).AddEndpointFilter<UiFormFilter>();
        ui.MapGet("/jobs/{job}", JobPages.ShowAsync);
        ui.MapPost("/jobs/{job}/pause", JobForms.PauseAsync).AddEndpointFilter<UiFormFilter>();
        ui.MapPost("/jobs/{job}/resume", JobForms.ResumeAsync).AddEndpointFilter<UiFormFilter>();
        ui.MapPost("/jobs/{job}/trigger", JobForms.TriggerAsync).AddEndpointFilter<UiFormFilter>();
        ui.MapPost("/jobs/{job}/cancel", JobForms.CancelAsync).AddEndpointFilter<UiFormFilter>();
        ui.MapGet("/runs/{run}", RunPages.ShowAsync);
        ui.MapPost("/runs/{run}/cancel", RunPages.CancelAsync).AddEndpointFilter<UiFormFilter>();
        ui.MapGet("/runs/{run}/steps/{step}/log", StepPages.LogAsync);
        ui.MapGet("/runs/{run}/steps/{step}/outputs/{name}", StepPages.OutputAsync);
        ui.MapGet("/runs/{run}/steps/{step}/notebook", StepPages.NotebookAsync);
        ui.MapGet("/ui/runs/{run}/state", RunPages.StateAsync);
        ui.MapGet("/ui/runs/{run}/events", EventsApi.StreamRunEventsAsync);

        // Unknown pages get the UI's not-found page; unknown API paths keep the API's problem answer.
        app.MapFallback((HttpContext http) => http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                ? Results.NotFound()
                : UiPage.NotFound($"There is no page at {http.Request.Path}."))
            .AddEndpointFilter<UiHeadersFilter>()
            .ExcludeFromDescription();
        return app;
    }
}
