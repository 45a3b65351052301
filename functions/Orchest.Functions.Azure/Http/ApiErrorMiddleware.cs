using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace Orchest.Functions.Azure.Http;

/// <summary>
/// What <c>app.UseExceptionHandler()</c> is in <c>orchest serve</c>: an error escaping an HTTP trigger
/// becomes the problem serve would answer (serve's <see cref="IExceptionHandler"/>), not the host's bare 500.
/// Other triggers' errors go on to the host (a failed activity is the orchestration's to handle).
/// </summary>
internal sealed class ApiErrorMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false })
        {
            var http = context.GetHttpContext()!;
            foreach (var handler in context.InstanceServices.GetServices<IExceptionHandler>())
            {
                if (await handler.TryHandleAsync(http, ex, http.RequestAborted))
                {
                    context.GetInvocationResult().Value = Results.Empty;
                    return;
                }
            }

            throw;
        }
    }
}
