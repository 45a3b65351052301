using Orchest.Functions.Hosting;
using Orchest.Git;
using Orchest.Storage.Azure;

namespace Orchest.Functions.Ui;

/// <summary>
/// Failures of the things a page reads (the repository, storage) become an error page that says what
/// failed, instead of the API's problem JSON or a blank response.
/// </summary>
internal sealed class UiErrorFilter(ILogger<UiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (!context.HttpContext.RequestAborted.IsCancellationRequested && !context.HttpContext.Response.HasStarted)
        {
            return ex switch
            {
                GitRefNotFoundException missing => UiPage.Error(StatusCodes.Status404NotFound, "Not in the repository", missing.Message),
                GitRepositoryException git => UiPage.Error(StatusCodes.Status502BadGateway, "Repository unavailable", git.Message),
                AzureStorageException storage => UiPage.Error(StatusCodes.Status503ServiceUnavailable, "Storage unavailable", storage.Message),
                _ => Unexpected(context.HttpContext, ex),
            };
        }
    }

    private IResult Unexpected(HttpContext http, Exception ex)
    {
        HostLogs.UnhandledError(logger, http.Request.Method, http.Request.Path, ex);
        return UiPage.Error(StatusCodes.Status500InternalServerError, "Something went wrong", "The page could not be shown; the host log has the details.");
    }
}
