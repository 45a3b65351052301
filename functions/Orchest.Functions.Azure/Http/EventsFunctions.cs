using Microsoft.AspNetCore.Http;
using Orchest.Functions.Api;

namespace Orchest.Functions.Azure.Http;

/// <summary>
/// Events (serve's <c>EventsApi</c>): a run's, live as Server-Sent Events, a project's, and the event types.
/// The stream is written by serve's handler through the ASP.NET Core integration, which streams responses.
/// </summary>
public sealed class EventsFunctions(ApiHandlers api)
{
    [Function("ListRunEvents")]
    public Task<IResult> ListRunEventsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{run}/events")] HttpRequest request, string run) =>
        api.InvokeAsync(request, EventsApi.ListRunEventsAsync, ("run", run));

    [Function("StreamRunEvents")]
    public Task<IResult> StreamRunEventsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{run}/events/stream")] HttpRequest request, string run) =>
        api.InvokeAsync(request, EventsApi.StreamRunEventsAsync, ("run", run));

    [Function("ListProjectEvents")]
    public Task<IResult> ListProjectEventsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/events")] HttpRequest request, string project) =>
        api.InvokeAsync(request, EventsApi.ListProjectEventsAsync, ("project", project));

    [Function("ListEventTypes")]
    public Task<IResult> ListEventTypesAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "events/types")] HttpRequest request) =>
        api.InvokeAsync(request, EventsApi.ListEventTypes);
}
