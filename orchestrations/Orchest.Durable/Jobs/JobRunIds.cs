using System.Security.Cryptography;
using System.Text;

namespace Orchest.Durable.Jobs;

/// <summary>
/// Run ids of job runs, derived from (job, tick key, index): a tick handled again (an activity retried after
/// its host died, an event delivered twice) names the same runs, and starting an existing run does nothing.
/// </summary>
public static class JobRunIds
{
    /// <summary>A name-based uuid (RFC 9562 version 8, SHA-256) in the usual lower-case form.</summary>
    public static string For(string jobId, string tickKey, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"orchest-job-run\n{jobId}\n{tickKey}\n{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    /// <summary>The key of a scheduled or one-off tick: its time, so no schedule change can make the same tick twice.</summary>
    public static string ScheduledKey(DateTimeOffset tick) =>
        "at:" + tick.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The key of a triggered tick.</summary>
    public static string TriggerKey(string triggerId) => "trigger:" + triggerId;

    /// <summary>The key of a tick started by a push (one per delivery).</summary>
    public static string PushKey(string deliveryKey) => "push:" + deliveryKey;
}
