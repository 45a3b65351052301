using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchest.Functions.Api;

namespace Orchest.Functions.Azure.Http;

/// <summary>
/// <c>/api/projects/{project}/runs</c> and <c>/api/runs/{run}</c> (serve's <c>RunsApi</c>): start, list,
/// inspect and cancel runs. Starting and cancelling go through the invocation's task hub client.
/// </summary>
public sealed class RunsFunctions(ApiHandlers api)
{
    [Function("CreateRun")]
    public Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{project}/runs")] HttpRequest request,
        string project, [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(request, client, RunCreation.CreateAsync, ("project", project));

    [Function("ListRuns")]
    public Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/runs")] HttpRequest request, string project) =>
        api.InvokeAsync(request, RunsApi.ListAsync, ("project", project));

    [Function("GetRun")]
    public Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{run}")] HttpRequest request, string run) =>
        api.InvokeAsync(request, RunsApi.GetAsync, ("run", run));

    [Function("CancelRun")]
    public Task<IResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "runs/{run}")] HttpRequest request,
        string run, [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(request, client, RunsApi.CancelAsync, ("run", run));
}
