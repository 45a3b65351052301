using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchest.Pipelines.Json;

/// <summary>Small questions asked of JSON values while reading pipeline files.</summary>
internal static class JsonText
{
    /// <summary>
    /// Python's truthiness, which Orchest's migrations test with <c>not value</c>: null, false, 0, "", [] and {} are false.
    /// </summary>
    public static bool IsFalsy(JsonNode? node) => node switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.False => true,
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.Number => TryGetNumber(v, out var d) && d == 0,
            _ => false,
        },
        _ => false,
    };

    public static bool TryGetString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }

        value = "";
        return false;
    }

    public static bool TryGetBool(JsonNode? node, out bool value)
    {
        var kind = node is JsonValue v ? v.GetValueKind() : JsonValueKind.Undefined;
        value = kind == JsonValueKind.True;
        return kind is JsonValueKind.True or JsonValueKind.False;
    }

    /// <summary>True for JSON numbers written without fraction or exponent that fit an int (Python's isinstance(x, int)).</summary>
    public static bool TryGetInt(JsonNode? node, out int value)
    {
        value = 0;
        return NumberText(node) is { } text
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetNumber(JsonNode? node, out decimal value)
    {
        value = 0;
        return NumberText(node) is { } text
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// A number node for a value computed by a migration (service orders): an int when it is one, since
    /// readers cast with (int) and a node holding a long or decimal refuses that.
    /// </summary>
    public static JsonNode Number(decimal value)
    {
        if (decimal.Truncate(value) != value)
        {
            return JsonValue.Create(value);
        }

        return value is >= int.MinValue and <= int.MaxValue ? JsonValue.Create((int)value)
            : value is >= long.MinValue and <= long.MaxValue ? JsonValue.Create((long)value)
            : JsonValue.Create(value);
    }

    // The number as written: values parsed from a file keep their text, and values built in code
    // (long, double) write theirs, so one rule serves both.
    private static string? NumberText(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : null;
}
