using Microsoft.AspNetCore.Antiforgery;

namespace Orchest.Functions.Ui;

/// <summary>
/// Every state-changing form of the UI carries an antiforgery token (ASP.NET Core antiforgery): a page of
/// another site cannot post to it, even in browsers that ignore SameSite.
/// </summary>
internal sealed class UiFormFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context.HttpContext);
        }
        catch (AntiforgeryValidationException)
        {
            return UiPage.Error(
                StatusCodes.Status400BadRequest, "The form could not be accepted",
                "It expired or did not come from this site. Go back, reload the page and try again.");
        }

        return await next(context);
    }
}
