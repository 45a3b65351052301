using System.Globalization;
using System.Text.Json;

namespace Orchest.Sdk;

/// <summary>The content of one <c>&lt;stem&gt;.meta.json</c> file (PROTOCOL.md §3); unknown fields are ignored.</summary>
internal sealed record OutputMetadata(
    string? Name,
    string SerializationName,
    DateTimeOffset? Timestamp,
    long? Size,
    string? Producer)
{
    public const string DotnetProducer = "dotnet";

    public OutputSerialization Serialization => OutputFormat.FromWireName(SerializationName);

    public byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = StepJson.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("name", Name);
            writer.WriteString("serialization", SerializationName);
            writer.WriteString("timestamp", Timestamp is { } t ? OutputFormat.FormatTimestamp(t) : null);
            if (Size is { } size)
            {
                writer.WriteNumber("size", size);
            }
            else
            {
                writer.WriteNull("size");
            }

            writer.WriteString("producer", Producer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses metadata bytes; throws <see cref="FormatException"/> with the reason when they are not valid.</summary>
    public static OutputMetadata Parse(byte[] utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The metadata is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The metadata is not a JSON object.");
            }

            if (!root.TryGetProperty("serialization", out var serialization) || serialization.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("The metadata has no \"serialization\" string.");
            }

            var name = OptionalString(root, "name");
            return new OutputMetadata(
                // Orchest wrote "unnamed" as the name of unnamed outputs.
                Name: name == OutputFormat.UnnamedStem ? null : name,
                SerializationName: serialization.GetString()!,
                Timestamp: OptionalString(root, "timestamp") is { } text
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
                    ? timestamp
                    : null,
                Size: root.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes)
                    ? bytes
                    : null,
                Producer: OptionalString(root, "producer"));
        }
    }

    private static string? OptionalString(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
