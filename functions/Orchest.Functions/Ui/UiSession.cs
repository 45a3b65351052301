using Microsoft.Extensions.Options;
using Orchest.Functions.Api;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Ui;

/// <summary>
/// A browser's sign-in: the API key itself in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS).
/// Page scripts never see it, other sites' pages never send it, and it is checked against the host's
/// keys on every request, so any host of the installation accepts it and removing a key from the
/// configuration signs its browsers out. Nothing about sessions is stored on the server.
/// </summary>
internal static class UiSession
{
    public const string Cookie = "orchest-key";

    /// <summary>A browser session ends after this long even if the browser stays open.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public static bool IsSignedIn(HttpContext http) =>
        http.Request.Cookies[Cookie] is { Length: > 0 } key && Accepts(http, key);

    public static bool Accepts(HttpContext http, string key) =>
        ApiKeyFilter.Accepts(http.RequestServices.GetRequiredService<IOptions<OrchestHostOptions>>().Value, key);

    public static void SignIn(HttpContext http, string key) =>
        http.Response.Cookies.Append(Cookie, key, Options(http, DateTimeOffset.UtcNow + Lifetime));

    public static void SignOut(HttpContext http) => http.Response.Cookies.Delete(Cookie, Options(http, null));

    /// <summary>Where to go after signing in: a local path only (never another site, "//host", or a header-breaking line end).</summary>
    public static string LocalReturnPath(string? next) =>
        next is { Length: > 1 } path && path[0] == '/' && path[1] != '/' && path[1] != '\\' && !path.Any(char.IsControl) ? path : "/projects";

    private static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
