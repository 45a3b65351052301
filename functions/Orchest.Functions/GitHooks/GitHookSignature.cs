using System.Security.Cryptography;
using System.Text;

namespace Orchest.Functions.GitHooks;

/// <summary>
/// Checks a delivery's credential on the raw body before anything is parsed, in constant time: GitHub's and
/// Gitea's HMAC-SHA256 of the body, GitLab's shared token.
/// </summary>
internal static class GitHookSignature
{
    /// <summary>The provider the headers name, or null when they name none.</summary>
    public static GitProvider? ProviderOf(IHeaderDictionary headers)
    {
        // Gitea also sends GitHub's headers: its own come first.
        if (headers.ContainsKey("X-Gitea-Event") || headers.ContainsKey("X-Gitea-Signature"))
        {
            return GitProvider.Gitea;
        }

        if (headers.ContainsKey("X-Gitlab-Event") || headers.ContainsKey("X-Gitlab-Token"))
        {
            return GitProvider.GitLab;
        }

        return headers.ContainsKey("X-GitHub-Event") || headers.ContainsKey("X-Hub-Signature-256") ? GitProvider.GitHub : null;
    }

    /// <summary>True when the delivery carries a valid credential for <paramref name="secret"/>.</summary>
    public static bool IsValid(GitProvider provider, IHeaderDictionary headers, ReadOnlySpan<byte> body, string secret)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        switch (provider)
        {
            case GitProvider.GitLab:
                return FixedTimeEquals(Encoding.UTF8.GetBytes(headers["X-Gitlab-Token"].ToString()), key);
            case GitProvider.Gitea:
                return MatchesHmac(headers["X-Gitea-Signature"].ToString(), key, body);
            default:
                var header = headers["X-Hub-Signature-256"].ToString();
                const string prefix = "sha256=";
                return header.StartsWith(prefix, StringComparison.Ordinal) && MatchesHmac(header[prefix.Length..], key, body);
        }
    }

    private static bool MatchesHmac(string hex, byte[] key, ReadOnlySpan<byte> body)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, body, expected);
        byte[] given;
        try
        {
            given = Convert.FromHexString(hex.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>Equal in time independent of where they differ (the lengths are compared through hashes).</summary>
    private static bool FixedTimeEquals(byte[] given, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(expected)) && given.Length > 0;
}
