using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchest.Functions.Api;

namespace Orchest.Functions.Azure.Http;

/// <summary>
/// <c>/api/projects/{project}/jobs</c> and <c>/api/jobs/{job}</c> (serve's <c>JobsApi</c>). Triggers that start or
/// signal a job's orchestration reach the task hub through the invocation's client.
/// </summary>
public sealed class JobsFunctions(ApiHandlers api)
{
    [Function("CreateJob")]
    public Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{project}/jobs")] HttpRequest request,
        string project, [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(request, client, JobCreation.CreateAsync, ("project", project));

    [Function("ListJobs")]
    public Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/jobs")] HttpRequest request, string project) =>
        api.InvokeAsync(request, JobsApi.ListAsync, ("project", project));

    [Function("GetJob")]
    public Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/{job}")] HttpRequest request, string job) =>
        api.InvokeAsync(request, JobsApi.GetAsync, ("job", job));

    [Function("UpdateJob")]
    public Task<IResult> UpdateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "jobs/{job}")] HttpRequest request, string job, [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(request, client, JobUpdate.UpdateAsync, ("job", job));

    [Function("CancelJob")]
    public Task<IResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "jobs/{job}")] HttpRequest request, string job, [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(request, client, JobControl.CancelAsync, ("job", job));

    [Function("PauseJob")]
    public Task<IResult> PauseAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/{job}/pause")] HttpRequest request, string job, [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(request, client, JobControl.PauseAsync, ("job", job));

    [Function("ResumeJob")]
    public Task<IResult> ResumeAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/{job}/resume")] HttpRequest request, string job, [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(request, client, JobControl.ResumeAsync, ("job", job));

    [Function("TriggerJob")]
    public Task<IResult> TriggerAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/{job}/trigger")] HttpRequest request, string job, [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(request, client, JobControl.TriggerAsync, ("job", job));

    [Function("ListJobRuns")]
    public Task<IResult> ListRunsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/{job}/runs")] HttpRequest request, string job) =>
        api.InvokeAsync(request, JobsApi.ListRunsAsync, ("job", job));
}
