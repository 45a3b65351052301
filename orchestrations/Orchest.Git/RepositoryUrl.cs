using System.Text.RegularExpressions;

namespace Orchest.Git;

/// <summary>Repository URLs: the kinds libgit2 fetches from, and their credentials kept out of text.</summary>
public static partial class RepositoryUrl
{
    private const string Mask = "***";

    /// <summary>
    /// <paramref name="text"/> with the user-info of every URL in it replaced (<c>https://user:pass@host</c>
    /// becomes <c>https://***@host</c>) and every one of <paramref name="secrets"/> masked.
    /// </summary>
    public static string Redact(string text, params IEnumerable<string?> secrets)
    {
        var redacted = UserInfo().Replace(text, "${scheme}" + Mask + "@");
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                redacted = redacted.Replace(secret, Mask, StringComparison.Ordinal);
                var escaped = Uri.EscapeDataString(secret);
                if (escaped != secret)
                {
                    redacted = redacted.Replace(escaped, Mask, StringComparison.Ordinal);
                }
            }
        }

        return redacted;
    }

    /// <summary>True when <paramref name="url"/> carries a password or token (<c>https://user:secret@host</c>); such URLs should not be stored.</summary>
    public static bool HasEmbeddedCredentials(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.IsFile && uri.UserInfo.Contains(':', StringComparison.Ordinal);

    /// <summary>
    /// The URL libgit2 is given (credentials removed from http(s) URLs, local paths made absolute) and the
    /// user name and password that were embedded in it, if any.
    /// </summary>
    internal static (string Url, string? Username, string? Password) Split(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            var clean = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
            return (clean, Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null);
        }

        return (IsLocalPath(url) ? Path.GetFullPath(url) : url, null, null);
    }

    internal static bool IsSsh(string url) =>
        url.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("git+ssh://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("ssh+git://", StringComparison.OrdinalIgnoreCase)
        || ScpLike().IsMatch(url);

    /// <summary>A plain path (not a URL and not scp-like <c>user@host:path</c>).</summary>
    private static bool IsLocalPath(string url) =>
        !url.Contains("://", StringComparison.Ordinal) && !ScpLike().IsMatch(url);

    [GeneratedRegex(@"(?<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*://)[^/@\s]+@")]
    private static partial Regex UserInfo();

    // git's rule: a colon before the first slash makes "host:path" an ssh address.
    [GeneratedRegex(@"^(?:[^@/:\s]+@)?[^/:\s]{2,}:(?!//)")]
    private static partial Regex ScpLike();
}
