using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchest.Pipelines.Reading;

/// <summary>The few phrases every message shares, so that all messages name things the same way.</summary>
internal static class ProblemText
{
    private const int MaxShownValueLength = 60;

    // Messages are read by people: show "é" rather than "\u00E9".
    private static readonly JsonSerializerOptions ShownValue = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>step "Clean data" (6b1c5931-...), or step (6b1c5931-...) when the title is empty.</summary>
    public static string Step(string title, string uuid) =>
        title.Length == 0 ? $"step ({uuid})" : $"step \"{title}\" ({uuid})";

    /// <summary>"Clean data" (6b1c5931-...), for lists of steps.</summary>
    public static string Named(string title, string uuid) => $"\"{title}\" ({uuid})";

    /// <summary>A JSON value as it appears in the file, shortened; "null" for null.</summary>
    public static string Value(JsonNode? node)
    {
        var text = node is null ? "null" : node.ToJsonString(ShownValue);
        return text.Length <= MaxShownValueLength ? text : string.Concat(text.AsSpan(0, MaxShownValueLength), "…");
    }

    public static string Quoted(string text) => $"\"{text}\"";

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>"a", "a and b", "a, b and c".</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}",
    };

    /// <summary>"has" or "have", agreeing with a list's length.</summary>
    public static string Has(int count) => count == 1 ? "has" : "have";
}
