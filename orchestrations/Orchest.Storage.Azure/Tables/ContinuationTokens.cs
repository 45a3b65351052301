using System.Text;

namespace Orchest.Storage.Azure.Tables;

/// <summary>Continuation tokens of paged listings: the last row key returned, base64url so it survives a query string.</summary>
internal static class ContinuationTokens
{
    public static string Encode(string rowKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(rowKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <exception cref="ArgumentException">The token is not one this service issued (parameter name "token", which the API maps to 400).</exception>
    public static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written)
            ? Encoding.UTF8.GetString(buffer, 0, written)
            : throw new ArgumentException("The continuation token is not one this service issued.", nameof(token));
    }
}
