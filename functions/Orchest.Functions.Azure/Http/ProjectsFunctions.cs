using Microsoft.AspNetCore.Http;
using Orchest.Functions.Api;

namespace Orchest.Functions.Azure.Http;

/// <summary><c>/api/projects</c> (serve's <c>ProjectsApi</c>): register repositories as projects, list their pipelines.</summary>
public sealed class ProjectsFunctions(ApiHandlers api)
{
    [Function("CreateProject")]
    public Task<IResult> CreateAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects")] HttpRequest request) =>
        api.InvokeAsync(request, ProjectsApi.CreateAsync);

    [Function("ListProjects")]
    public Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects")] HttpRequest request) =>
        api.InvokeAsync(request, ProjectsApi.ListAsync);

    [Function("GetProject")]
    public Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}")] HttpRequest request, string project) =>
        api.InvokeAsync(request, ProjectsApi.GetAsync, ("project", project));

    [Function("DeleteProject")]
    public Task<IResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "projects/{project}")] HttpRequest request, string project) =>
        api.InvokeAsync(request, ProjectsApi.DeleteAsync, ("project", project));

    [Function("ListPipelines")]
    public Task<IResult> ListPipelinesAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/pipelines")] HttpRequest request, string project) =>
        api.InvokeAsync(request, ProjectsApi.ListPipelinesAsync, ("project", project));
}
