using System.Security.Cryptography;
using System.Text;

namespace Orchest.Engine.Webhooks;

/// <summary>
/// How a webhook request is signed (README "Verifying a delivery"): HMAC-SHA256 with the subscription's
/// secret over <c>"&lt;timestamp&gt;.&lt;raw body&gt;"</c>, hex, as <c>X-Orchest-Signature: sha256=&lt;hex&gt;</c> with the
/// Unix-seconds timestamp in <c>X-Orchest-Timestamp</c>. The timestamp is signed so a captured request
/// cannot be replayed later; receivers reject old timestamps and de-duplicate by <c>X-Orchest-Event-Id</c>.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Orchest-Signature";
    public const string TimestampHeader = "X-Orchest-Timestamp";
    public const string EventTypeHeader = "X-Orchest-Event";
    public const string EventIdHeader = "X-Orchest-Event-Id";
    public const string DeliveryHeader = "X-Orchest-Delivery";
    public const string AttemptHeader = "X-Orchest-Attempt";
    public const string Prefix = "sha256=";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var stamp = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[stamp.Length + body.Length];
        stamp.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(stamp.Length));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>Whether <paramref name="signature"/> (the header's value) signs <paramref name="body"/> at <paramref name="timestamp"/>; constant time.</summary>
    public static bool Verify(string secret, long timestamp, ReadOnlySpan<byte> body, string? signature)
    {
        if (signature is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
