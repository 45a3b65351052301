using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchest.Functions.Api;

namespace Orchest.Functions.Azure.Http;

/// <summary>
/// <c>POST /api/projects/{project}/hooks/git</c> (serve's <c>GitHookApi</c>): anonymous at the Functions level, since the
/// delivery's signature is its credential and is checked by the handler before anything is read.
/// </summary>
public sealed class GitHookFunction(ApiHandlers api)
{
    [Function("ReceiveGitHook")]
    public Task<IResult> ReceiveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "projects/{project}/hooks/git")] HttpRequest request,
        string project, [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(request, client, GitHookApi.ReceiveAsync, ("project", project));
}
