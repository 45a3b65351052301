namespace Orchest.Functions.Ui;

/// <summary>
/// Nothing of the UI is shown without a signed-in browser: pages send it to the sign-in form (and back
/// afterwards), the scripts' data endpoints answer 401.
/// </summary>
internal sealed class UiSessionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (UiSession.IsSignedIn(http))
        {
            return await next(context);
        }

        if (http.Request.Path.StartsWithSegments("/ui", StringComparison.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Sign in again.");
        }

        var back = HttpMethods.IsGet(http.Request.Method) ? http.Request.Path + http.Request.QueryString : http.Request.Path.ToString();
        return TypedResults.Redirect("/sign-in?next=" + Uri.EscapeDataString(back));
    }
}
