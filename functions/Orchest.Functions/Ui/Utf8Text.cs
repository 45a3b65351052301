using System.Text;

namespace Orchest.Functions.Ui;

/// <summary>
/// Log bytes read from an offset may start or end inside a multi-byte character; the log tail sends whole
/// characters only and resumes where the cut one begins.
/// </summary>
internal static class Utf8Text
{
    /// <summary>The length of <paramref name="bytes"/> without a trailing incomplete UTF-8 sequence.</summary>
    public static int CompleteLength(ReadOnlySpan<byte> bytes)
    {
        // A sequence is at most 4 bytes: look back at most 3 for the lead byte of the last one.
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? bytes.Length - back : bytes.Length;
        }

        return bytes.Length;
    }

    /// <summary>Decodes, dropping continuation bytes at the start when the text was cut from a longer log.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, bool skipLeadingContinuation = false)
    {
        var start = 0;
        while (skipLeadingContinuation && start < bytes.Length && start < 3 && (bytes[start] & 0xC0) == 0x80)
        {
            start++;
        }

        return Encoding.UTF8.GetString(bytes[start..]);
    }
}
