using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Orchest.Functions.Ui.Pages;

namespace Orchest.Functions.Ui;

/// <summary>Renders the UI's pages: Razor components as whole HTML documents, server-side, no Blazor runtime.</summary>
internal static class UiPage
{
    public static RazorComponentResult<TPage> Render<TPage>(object parameters, int status = StatusCodes.Status200OK)
        where TPage : IComponent =>
        new(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8" };

    public static RazorComponentResult<ErrorPage> Error(int status, string title, string detail) =>
        Render<ErrorPage>(new { Title = title, Detail = detail, Status = status }, status);

    public static RazorComponentResult<ErrorPage> NotFound(string detail) =>
        Error(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>303 See Other: after a form the browser GETs the next page, so a reload does not post again.</summary>
    public static IResult SeeOther(string path) => new SeeOtherResult(path);

    private sealed class SeeOtherResult(string path) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = path;
            return Task.CompletedTask;
        }
    }
}
