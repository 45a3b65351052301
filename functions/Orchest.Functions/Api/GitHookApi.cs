using Orchest.Functions.GitHooks;
using Orchest.Functions.Hosting;
using Orchest.Functions.Projects;
using Orchest.Git;

namespace Orchest.Functions.Api;

/// <summary>
/// <c>POST /api/projects/{project}/hooks/git</c>: GitHub, Gitea and GitLab push webhooks. No API key: the delivery's
/// signature (or GitLab's token) is the credential, checked in constant time on the raw body before anything is
/// parsed (401 and nothing done when missing or wrong). A delivery id answers once: a redelivery gets the first
/// answer and starts nothing. A delivery whose handling fails (500) or dies with its host is not lost: a redelivery
/// or, after <see cref="GitHookOptions.TakeOverAfter"/>, the housekeeping handles it again.
/// </summary>
internal static class GitHookApi
{
    public static WebApplication MapGitHookApi(this WebApplication app)
    {
        app.MapPost("/api/projects/{project}/hooks/git", ReceiveAsync).WithName("ReceiveGitHook").WithTags("hooks");
        return app;
    }

    internal static async Task<IResult> ReceiveAsync(
        string project, HttpRequest request, TableProjectRegistry registry, GitHookSecrets secrets, GitDeliveryLog deliveries,
        GitDeliveryHandler handler, GitHookOptions options, IHostApplicationLifetime lifetime, ILogger<GitPushHandler> logger, CancellationToken cancellationToken)
    {
        var entry = TableProjectRegistry.IsValidId(project) ? await registry.GetAsync(project, cancellationToken) : null;
        if (entry is null)
        {
            return ProjectsApi.ProjectNotFound(project);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();

        var provider = GitHookSignature.ProviderOf(request.Headers);
        var secret = secrets.Find(entry.Id, entry.WebhookSecret);
        if (provider is not { } known || secret is null || !GitHookSignature.IsValid(known, request.Headers, body, secret))
        {
            var reason = provider is null
                ? "no X-Hub-Signature-256, X-Gitea-Signature or X-Gitlab-Token header"
                : secret is null ? $"no secret configured under {GitHookSecrets.Section}:{entry.WebhookSecret ?? entry.Id}" : "signature does not match";
            HostLogs.GitHookRefused(logger, entry.Id, provider?.ToString() ?? "unknown", "-", reason);
            return ApiProblems.Unauthorized(
                $"The delivery is not signed with project {entry.Id}'s webhook secret: {reason}. Nothing was done.");
        }

        var problems = new List<string>();
        if (GitDeliveryReader.Read(known, request.Headers, body, problems) is not { } delivery)
        {
            return ApiProblems.Invalid("The delivery cannot be read", problems);
        }

        var claim = await deliveries.ClaimAsync(entry.Id, delivery, cancellationToken);
        if (claim.Held is not { } held)
        {
            HostLogs.GitHookRedelivery(logger, entry.Id, known.ToString(), delivery.DeliveryId);
            return claim.Status == 0
                ? TypedResults.Json(
                    new
                    {
                        delivery = delivery.DeliveryId,
                        status = "in_progress",
                        reason = $"This delivery is being handled; its answer is recorded when done. A handling that died is taken over {options.TakeOverAfter} after it began.",
                    },
                    statusCode: StatusCodes.Status202Accepted)
                : Answer(claim.Status, claim.Answer, redelivery: true);
        }

        try
        {
            // Not the request's token: a forge gives up waiting after seconds (GitHub: 10), and a push whose first
            // fetch takes longer is still handled and its answer recorded for the redelivery.
            var (status, json) = await handler.HandleAsync(entry, held, lifetime.ApplicationStopping);
            return Answer(status, json, redelivery: false);
        }
        catch (GitRefNotFoundException ex)
        {
            return ApiProblems.Invalid("The pushed commit cannot be used", [ex.Message]);
        }
        catch (GitRepositoryException ex)
        {
            return TypedResults.Problem(
                title: "Repository unavailable", statusCode: StatusCodes.Status502BadGateway,
                detail: $"{ex.Message} The delivery is kept: a redelivery handles it again at once, or the housekeeping after {options.TakeOverAfter}.");
        }
    }

    private static IResult Answer(int status, string json, bool redelivery) => new RecordedAnswer(status, json, redelivery);

    /// <summary>A recorded answer, written as it was recorded (a redelivery is marked by a header).</summary>
    private sealed class RecordedAnswer(int status, string json, bool redelivery) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            if (redelivery)
            {
                httpContext.Response.Headers["X-Orchest-Redelivery"] = "true";
            }

            return httpContext.Response.WriteAsync(json, httpContext.RequestAborted);
        }
    }
}
