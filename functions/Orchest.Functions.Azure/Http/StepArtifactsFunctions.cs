using Microsoft.AspNetCore.Http;
using Orchest.Functions.Api;

namespace Orchest.Functions.Azure.Http;

/// <summary><c>/api/runs/{run}/steps/{step}/...</c> (serve's <c>StepArtifactsApi</c>): a step's log, outputs and executed notebook; a run's service logs (serve's <c>ServiceLogsApi</c>).</summary>
public sealed class StepArtifactsFunctions(ApiHandlers api)
{
    [Function("GetStepLog")]
    public Task<IResult> LogsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{run}/steps/{step}/logs")] HttpRequest request, string run, string step) =>
        api.InvokeAsync(request, StepArtifactsApi.LogsAsync, ("run", run), ("step", step));

    [Function("ListStepOutputs")]
    public Task<IResult> OutputsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{run}/steps/{step}/outputs")] HttpRequest request, string run, string step) =>
        api.InvokeAsync(request, StepArtifactsApi.OutputsAsync, ("run", run), ("step", step));

    [Function("GetStepOutput")]
    public Task<IResult> OutputAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{run}/steps/{step}/outputs/{name}")] HttpRequest request,
        string run, string step, string name) =>
        api.InvokeAsync(request, StepArtifactsApi.OutputAsync, ("run", run), ("step", step), ("name", name));

    [Function("GetServiceLog")]
    public Task<IResult> ServiceLogAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{run}/services/{service}/logs")] HttpRequest request, string run, string service) =>
        api.InvokeAsync(request, ServiceLogsApi.LogsAsync, ("run", run), ("service", service));

    [Function("GetExecutedNotebook")]
    public Task<IResult> NotebookAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{run}/steps/{step}/notebook")] HttpRequest request, string run, string step) =>
        api.InvokeAsync(request, StepArtifactsApi.NotebookAsync, ("run", run), ("step", step));
}
