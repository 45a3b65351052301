using Azure.Data.Tables;

namespace Orchest.Storage.Azure.Tables;

/// <summary>
/// A JSON document spread over string columns <c>d</c>, <c>d1</c>, <c>d2</c>, ...: a string property
/// holds at most 64 KiB (32 Ki UTF-16 characters), and a step with 1,000 children needs ~39 K characters.
/// An entity may hold up to 1 MiB, so a document of up to ~900 K characters fits in one row.
/// </summary>
internal static class RowColumns
{
    internal const int ChunkChars = 30_000;
    private const string Data = "d";

    public static void WriteDocument(TableEntity entity, string json)
    {
        var index = 0;
        for (var start = 0; start < json.Length || index == 0; index++)
        {
            var length = Math.Min(ChunkChars, json.Length - start);
            if (length > 0 && start + length < json.Length && char.IsHighSurrogate(json[start + length - 1]))
            {
                length--; // never split a surrogate pair across columns
            }

            entity[ColumnName(index)] = json.Substring(start, length);
            start += length;
        }
    }

    public static string ReadDocument(TableEntity entity)
    {
        var first = entity.GetString(Data) ?? throw new System.Text.Json.JsonException($"row {entity.RowKey} has no document");
        if (!entity.ContainsKey(ColumnName(1)))
        {
            return first;
        }

        var builder = new System.Text.StringBuilder(first);
        for (var index = 1; entity.GetString(ColumnName(index)) is { } next; index++)
        {
            builder.Append(next);
        }

        return builder.ToString();
    }

    /// <summary>Approximate bytes of an entity in a batch request (UTF-16 strings count double in the service's accounting).</summary>
    public static int EstimateBytes(TableEntity entity)
    {
        var bytes = 512;
        foreach (var (key, value) in entity)
        {
            bytes += (key.Length * 2) + (value is string s ? s.Length * 2 : 16);
        }

        return bytes;
    }

    private static string ColumnName(int index) => index == 0 ? Data : Data + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
