using System.Globalization;
using System.Text;

namespace Orchest.Sdk;

/// <summary>Names, file stems and serialisation names of the output set format (PROTOCOL.md §3).</summary>
internal static class OutputFormat
{
    public const string UnnamedStem = "unnamed";
    public const string DataSuffix = ".data";
    public const string MetaSuffix = ".meta.json";

    private const string NameSeparator = "; ";

    /// <summary>Orchest's name rules, with Orchest's messages; throws before anything is written.</summary>
    public static void ValidateName(string? name)
    {
        if (name is null)
        {
            return;
        }

        if (name == UnnamedStem)
        {
            throw new InvalidOutputNameException(name, "'unnamed' is a reserved `name`.");
        }

        if (name.Contains(NameSeparator, StringComparison.Ordinal))
        {
            throw new InvalidOutputNameException(name, "'; ' cannot be part of the `name`.");
        }
    }

    /// <summary><c>unnamed</c>, or <c>named-</c> + the name percent-encoded as UTF-8 (RFC 3986 unreserved characters kept).</summary>
    public static string Stem(string? name)
    {
        if (name is null)
        {
            return UnnamedStem;
        }

        var stem = new StringBuilder("named-", name.Length + 6);
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (IsUnreserved(b))
            {
                stem.Append((char)b);
            }
            else
            {
                stem.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return stem.ToString();
    }

    public static string ToWireName(OutputSerialization serialization) => serialization switch
    {
        OutputSerialization.Json => "JSON",
        OutputSerialization.ArrowTable => "ARROW_TABLE",
        OutputSerialization.ArrowBatch => "ARROW_BATCH",
        OutputSerialization.Pickle => "PICKLE",
        _ => throw new ArgumentOutOfRangeException(nameof(serialization), serialization, "Only known serialisations are written."),
    };

    public static OutputSerialization FromWireName(string? wireName) => wireName switch
    {
        "JSON" => OutputSerialization.Json,
        "ARROW_TABLE" => OutputSerialization.ArrowTable,
        "ARROW_BATCH" => OutputSerialization.ArrowBatch,
        "PICKLE" => OutputSerialization.Pickle,
        _ => OutputSerialization.Unknown,
    };

    /// <summary>UTC ISO-8601 with microseconds and <c>+00:00</c>, as Python's <c>datetime.isoformat(timespec="microseconds")</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';
}
