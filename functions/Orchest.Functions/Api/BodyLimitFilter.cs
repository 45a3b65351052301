using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Api;

/// <summary>
/// Rejects bodies over the configured limit with a 413 problem before anything is read or stored;
/// bodies without a Content-Length are cut at the limit by the server.
/// </summary>
internal sealed class BodyLimitMiddleware(RequestDelegate next, IOptions<OrchestHostOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await ApiProblems.TooLarge(limit).ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await ApiProblems.TooLarge(limit).ExecuteAsync(context);
        }
    }
}
