using Orchest.Functions.Ui.Pages;

namespace Orchest.Functions.Ui;

/// <summary><c>/sign-in</c> and <c>/sign-out</c>: a browser signs in with one of the host's API keys.</summary>
internal static class SignInPages
{
    public static IResult Form(string? next, HttpContext http) =>
        UiSession.IsSignedIn(http)
            ? TypedResults.Redirect(UiSession.LocalReturnPath(next))
            : UiPage.Render<SignInPage>(new { Next = UiSession.LocalReturnPath(next) });

    public static async Task<IResult> SignInAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var key = form["key"].ToString().Trim();
        var next = UiSession.LocalReturnPath(form["next"]);
        if (key.Length == 0 || !UiSession.Accepts(http, key))
        {
            var error = key.Length == 0 ? "Enter an API key." : "That API key is not valid on this host.";
            return UiPage.Render<SignInPage>(new { Next = next, Error = error }, StatusCodes.Status401Unauthorized);
        }

        UiSession.SignIn(http, key);
        return UiPage.SeeOther(next);
    }

    public static IResult SignOut(HttpContext http)
    {
        UiSession.SignOut(http);
        return UiPage.SeeOther("/sign-in");
    }
}
