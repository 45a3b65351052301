using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Orchest.Engine.Execution;
using Orchest.Engine.Jobs;
using Orchest.Functions.Hosting;
using Orchest.Functions.Projects;
using Orchest.Git;
using Orchest.Storage.Azure;

namespace Orchest.Functions.Api;

/// <summary>Maps domain and infrastructure errors to problem details in one place.</summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                ApiProblems.Invalid($"The request body is not valid JSON: {json.Message}"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                ApiProblems.Invalid("The request body is too large."),
            BadHttpRequestException bad => ApiProblems.Invalid(bad.Message),
            RunNotFoundException notFound => ApiProblems.NotFound(notFound.Message),
            ProjectNameTakenException taken => ApiProblems.Conflict(taken.Message),
            JobChangedException changed => ApiProblems.Conflict(changed.Message),
            GitRefNotFoundException { IsInvalid: true } invalid => ApiProblems.Invalid(invalid.Message),
            GitRefNotFoundException missing => ApiProblems.NotFound(missing.Message),
            ArgumentException { ParamName: "token" } badToken => ApiProblems.Invalid($"\"continuation_token\" is not valid: {badToken.Message}"),
            AzureStorageException storage => TypedResults.Problem(
                title: "Storage unavailable", statusCode: StatusCodes.Status503ServiceUnavailable, detail: storage.Message),
            RunSecretsException secrets => TypedResults.Problem(
                title: "Run secrets unreadable", statusCode: StatusCodes.Status500InternalServerError, detail: secrets.Message),
            GitRepositoryException git => TypedResults.Problem(
                title: "Repository unavailable", statusCode: StatusCodes.Status502BadGateway, detail: git.Message),
            _ => null,
        };
        if (result is null)
        {
            HostLogs.UnhandledError(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
            result = TypedResults.Problem(
                title: "Internal error", statusCode: StatusCodes.Status500InternalServerError,
                detail: "The server failed to handle the request; the host log has the details.");
        }

        await result.ExecuteAsync(httpContext);
        return true;
    }
}
